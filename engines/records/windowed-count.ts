/**
 * A tumbling-window count per key, over rows: per window and key, (key, count, window start
 * µs), emitted when the window fires and stamped with the largest event time in it —
 * json-ingest's last stage (YSB's windowed count per campaign; here per the projected key).
 * A row for a fired window is late: dropped and counted.
 */
import type { EventTimeSpec, RecordCounters, RowField, RowSink, RowStage } from './record-stage.js';
import { TumblingWindows, type OpenWindow, type WindowsSnapshot } from './tumbling-windows.js';

/** The windowed count's settings. */
export interface WindowedCountSpec extends EventTimeSpec {
  /** Window length (ms). */
  sizeMs: number;
  /** The row field that is the key (default 0). */
  keyField?: number;
}

/** Counts per key per tumbling window. */
export class WindowedCount implements RowStage {
  private readonly keyField: number;
  private readonly windows: TumblingWindows<Map<RowField, number>>;
  private readonly fields: RowField[] = ['', 0, 0];

  constructor(private readonly next: RowSink, spec: WindowedCountSpec, private readonly counters: RecordCounters) {
    this.keyField = spec.keyField ?? 0;
    this.windows = new TumblingWindows<Map<RowField, number>>(spec.sizeMs, spec, () => new Map(), (window) => this.fire(window));
  }

  row(eventTimeUs: number, fields: readonly RowField[]): void {
    const window = this.windows.windowFor(eventTimeUs);
    if (window === undefined) {
      this.counters.lateDropped++;
      return;
    }
    const key = fields[this.keyField];
    window.state.set(key, (window.state.get(key) ?? 0) + 1);
    this.windows.observe(window, eventTimeUs);
  }

  private fire(window: OpenWindow<Map<RowField, number>>): void {
    this.fields[2] = window.index * this.windows.sizeUs;
    for (const [key, count] of window.state) {
      this.fields[0] = key;
      this.fields[1] = count;
      this.next.row(window.maxEventTimeUs, this.fields);
    }
  }

  finish(): void {
    this.windows.flush();
    this.next.finish();
  }

  snapshotState(): WindowsSnapshot<Map<RowField, number>> {
    return this.windows.snapshot();
  }

  restoreState(state: unknown): void {
    this.windows.restore(state as WindowsSnapshot<Map<RowField, number>>);
  }
}
