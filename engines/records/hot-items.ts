/**
 * Nexmark q5, hot items: over sliding (hopping) windows of 10 s every 2 s, the auctions with
 * the most bids — per window, every auction whose bid count equals the window's largest,
 * as (auction, count, window start µs). (Nexmark's q5 outputs auction and count; the start
 * tells windows apart, so outputs can be compared exactly.)
 *
 * Counted in panes (slide-sized slices: a bid adds 1 to its auction in one pane, not in
 * size/slide windows); a window [s, s + size) fires once the watermark reaches its end plus
 * the allowed lateness, summing its size/slide panes, stamped with the largest event time in
 * them. Window starts are multiples of the slide, as Flink's HOP assigns them (so the first
 * bids also fall in windows that start before them). A bid whose last window has fired is
 * late: dropped and counted. The maximum is over this operator's bids: a partitioned run
 * needs a final all-partition step (or one partition), like Flink's global max.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { EventTimeSpec, RecordCounters, RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';

/** The q5 operator's settings. */
export interface HotItemsSpec extends EventTimeSpec {
  /** Window length (ms; Nexmark's 10 000). */
  sizeMs: number;
  /** Window slide (ms; Nexmark's 2 000); must divide `sizeMs`. */
  slideMs: number;
}

interface Pane {
  maxEventTimeUs: number;
  counts: Map<number, number>;
}

interface HotItemsState {
  watermarkUs: number;
  /** The start pane of the next window to fire (NaN before the first bid). */
  nextWindow: number;
  panes: Map<number, Pane>;
}

/** q5: the most-bid auctions per sliding window. */
export class HotItems implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly auction: Int32Array;
  private readonly slideUs: number;
  private readonly panesPerWindow: number;
  private readonly boundUs: number;
  private readonly latenessUs: number;
  private readonly fields: RowField[] = [0, 0, 0];
  private state: HotItemsState = { watermarkUs: -Infinity, nextWindow: Number.NaN, panes: new Map() };

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: HotItemsSpec, private readonly counters: RecordCounters) {
    if (!(spec.slideMs > 0) || !Number.isInteger(spec.sizeMs / spec.slideMs)) throw new RangeError(`hot items: the slide (${spec.slideMs} ms) must divide the size (${spec.sizeMs} ms)`);
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.auction = columns.int32('auction');
    this.slideUs = spec.slideMs * 1000;
    this.panesPerWindow = spec.sizeMs / spec.slideMs;
    this.boundUs = (spec.maxOutOfOrdernessMs ?? 0) * 1000;
    this.latenessUs = (spec.allowedLatenessMs ?? 0) * 1000;
  }

  push(slot: number): void {
    if (this.kind[slot] !== EventKind.bid) return;
    const time = this.dateTime[slot];
    const paneIndex = Math.floor(time / this.slideUs);
    const state = this.state;
    if (this.closesAt(paneIndex) <= state.watermarkUs) {
      this.counters.lateDropped++;
      return;
    }
    // The first window of this pane that has not fired: windows fire in order of start.
    const start = Math.max(paneIndex - this.panesPerWindow + 1, Math.floor((state.watermarkUs - this.latenessUs) / this.slideUs) - this.panesPerWindow + 1);
    if (Number.isNaN(state.nextWindow) || start < state.nextWindow) state.nextWindow = start;
    let pane = state.panes.get(paneIndex);
    if (pane === undefined) state.panes.set(paneIndex, (pane = { maxEventTimeUs: time, counts: new Map() }));
    if (time > pane.maxEventTimeUs) pane.maxEventTimeUs = time;
    const auction = this.auction[slot];
    pane.counts.set(auction, (pane.counts.get(auction) ?? 0) + 1);
    if (time - this.boundUs > state.watermarkUs) {
      state.watermarkUs = time - this.boundUs;
      this.fireUpTo(state.watermarkUs);
    }
  }

  /** The time the window starting at pane `start` fires. */
  private closesAt(start: number): number {
    return (start + this.panesPerWindow) * this.slideUs + this.latenessUs;
  }

  private fireUpTo(watermarkUs: number): void {
    const state = this.state;
    while (state.panes.size > 0) {
      // Skip windows with no pane at all (a gap in the bids).
      let first = Infinity;
      for (const index of state.panes.keys()) if (index < first) first = index;
      if (first - this.panesPerWindow + 1 > state.nextWindow) state.nextWindow = first - this.panesPerWindow + 1;
      if (this.closesAt(state.nextWindow) > watermarkUs) return;
      this.fire(state.nextWindow);
      state.panes.delete(state.nextWindow);
      state.nextWindow++;
    }
  }

  private fire(start: number): void {
    const counts = new Map<number, number>();
    let maxEventTimeUs = -Infinity;
    for (let p = start; p < start + this.panesPerWindow; p++) {
      const pane = this.state.panes.get(p);
      if (pane === undefined) continue;
      if (pane.maxEventTimeUs > maxEventTimeUs) maxEventTimeUs = pane.maxEventTimeUs;
      for (const [auction, count] of pane.counts) counts.set(auction, (counts.get(auction) ?? 0) + count);
    }
    let max = 0;
    for (const count of counts.values()) if (count > max) max = count;
    if (max === 0) return;
    this.fields[2] = start * this.slideUs;
    for (const [auction, count] of counts) {
      if (count !== max) continue;
      this.fields[0] = auction;
      this.fields[1] = count;
      this.next.row(maxEventTimeUs, this.fields);
    }
  }

  finish(): void {
    this.fireUpTo(Infinity);
    this.next.finish();
  }

  snapshotState(): HotItemsState {
    return structuredClone(this.state);
  }

  restoreState(state: unknown): void {
    this.state = structuredClone(state as HotItemsState);
  }
}
