/**
 * Nexmark q7, highest bid: per tumbling window (10 s), the bids whose price is the window's
 * highest, as (auction, price, bidder, dateTime, extra), emitted when the window fires and
 * stamped with the largest event time in it. Follows Beam's Query7 (the max price of each
 * fixed window, joined back to that window's bids); Nexmark's Flink SQL joins on
 * `dateTime BETWEEN window_end − 10 s AND window_end`, which also takes a bid at exactly
 * the end of the window — not done here.
 *
 * State per open window: the maximum so far and the bids at it, copied (their `extra`
 * decoded) when they reach the maximum, since their slots are reused after the commit. A
 * bid for a fired window is late: dropped and counted. The maximum is over this operator's
 * bids: a partitioned run needs a final all-partition step (or one partition).
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { EventTimeSpec, RecordCounters, RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';
import { TumblingWindows, type OpenWindow, type WindowsSnapshot } from './tumbling-windows.js';

/** The q7 operator's settings. */
export interface HighestBidSpec extends EventTimeSpec {
  /** Window length (ms; Nexmark's 10 000). */
  sizeMs: number;
}

interface MaxState {
  maxPrice: number;
  /** The bids at `maxPrice`: [auction, price, bidder, dateTime, extra]. */
  bids: RowField[][];
}

/** q7: the highest bids per tumbling window. */
export class HighestBid implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly auction: Int32Array;
  private readonly bidder: Int32Array;
  private readonly price: Int32Array;
  private readonly strings: StringArena;
  private readonly extraColumn: number;
  private readonly windows: TumblingWindows<MaxState>;

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: HighestBidSpec, private readonly counters: RecordCounters) {
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.auction = columns.int32('auction');
    this.bidder = columns.int32('bidder');
    this.price = columns.int32('price');
    this.strings = columns.strings;
    this.extraColumn = columns.stringColumn('extra');
    this.windows = new TumblingWindows<MaxState>(spec.sizeMs, spec, () => ({ maxPrice: -1, bids: [] }), (window) => this.fire(window));
  }

  push(slot: number): void {
    if (this.kind[slot] !== EventKind.bid) return;
    const time = this.dateTime[slot];
    const window = this.windows.windowFor(time);
    if (window === undefined) {
      this.counters.lateDropped++;
      return;
    }
    const price = this.price[slot];
    const state = window.state;
    if (price >= state.maxPrice) {
      if (price > state.maxPrice) {
        state.maxPrice = price;
        state.bids.length = 0;
      }
      state.bids.push([this.auction[slot], price, this.bidder[slot], time, this.strings.decode(slot, this.extraColumn)]);
    }
    this.windows.observe(window, time);
  }

  private fire(window: OpenWindow<MaxState>): void {
    for (const bid of window.state.bids) this.next.row(window.maxEventTimeUs, bid);
  }

  finish(): void {
    this.windows.flush();
    this.next.finish();
  }

  snapshotState(): WindowsSnapshot<MaxState> {
    return this.windows.snapshot();
  }

  restoreState(state: unknown): void {
    this.windows.restore(state as WindowsSnapshot<MaxState>);
  }
}
