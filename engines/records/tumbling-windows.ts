/**
 * Event-time tumbling windows for the record operators: which window a record falls in,
 * the watermark (the largest event time seen minus the allowed out-of-orderness), and when a
 * window fires (once the watermark reaches its end plus the allowed lateness). A record for
 * a window that has fired is late: {@link TumblingWindows.windowFor} returns undefined and
 * the operator drops and counts it. The same rules as `engines/operators/tumbling-window.ts`,
 * over any per-window state `S`.
 */
import type { EventTimeSpec } from './record-stage.js';

/** One open window. */
export interface OpenWindow<S> {
  /** Its index: it covers [index × size, (index + 1) × size) µs. */
  readonly index: number;
  maxEventTimeUs: number;
  readonly state: S;
}

/** The windows a structured clone of {@link TumblingWindows.snapshot} restores. */
export interface WindowsSnapshot<S> {
  readonly watermarkUs: number;
  readonly open: OpenWindow<S>[];
}

/** Open windows, sorted by index, with their watermark. */
export class TumblingWindows<S> {
  readonly sizeUs: number;
  private readonly boundUs: number;
  private readonly latenessUs: number;
  private open: OpenWindow<S>[] = [];
  private watermarkUs = -Infinity;

  /**
   * @param sizeMs window length (ms)
   * @param create a window's fresh state
   * @param fire emits a closed window's output
   */
  constructor(
    sizeMs: number,
    spec: EventTimeSpec,
    private readonly create: () => S,
    private readonly fire: (window: OpenWindow<S>) => void,
  ) {
    if (!(sizeMs > 0)) throw new RangeError(`window size must be positive (got ${sizeMs} ms)`);
    this.sizeUs = sizeMs * 1000;
    this.boundUs = (spec.maxOutOfOrdernessMs ?? 0) * 1000;
    this.latenessUs = (spec.allowedLatenessMs ?? 0) * 1000;
  }

  /** The window of a record at `eventTimeUs` (opened if need be), or undefined if it has fired. */
  windowFor(eventTimeUs: number): OpenWindow<S> | undefined {
    const index = Math.floor(eventTimeUs / this.sizeUs);
    if (this.closesAt(index) <= this.watermarkUs) return undefined;
    let at = this.open.length;
    while (at > 0 && this.open[at - 1].index > index) at--;
    if (at > 0 && this.open[at - 1].index === index) return this.open[at - 1];
    const window: OpenWindow<S> = { index, maxEventTimeUs: -Infinity, state: this.create() };
    this.open.splice(at, 0, window);
    return window;
  }

  /** Notes a record's event time in its window and fires every window the watermark has passed. */
  observe(window: OpenWindow<S>, eventTimeUs: number): void {
    if (eventTimeUs > window.maxEventTimeUs) window.maxEventTimeUs = eventTimeUs;
    if (eventTimeUs - this.boundUs > this.watermarkUs) {
      this.watermarkUs = eventTimeUs - this.boundUs;
      while (this.open.length > 0 && this.closesAt(this.open[0].index) <= this.watermarkUs) this.fire(this.open.shift() as OpenWindow<S>);
    }
  }

  /** Fires every open window (the end of the input). */
  flush(): void {
    while (this.open.length > 0) this.fire(this.open.shift() as OpenWindow<S>);
  }

  /** A structured-cloneable copy of the open windows and the watermark. */
  snapshot(): WindowsSnapshot<S> {
    return structuredClone({ watermarkUs: this.watermarkUs, open: this.open });
  }

  /** Replaces the windows with a copy of a {@link snapshot}. */
  restore(snapshot: WindowsSnapshot<S>): void {
    const copy = structuredClone(snapshot);
    this.watermarkUs = copy.watermarkUs;
    this.open = copy.open;
  }

  private closesAt(index: number): number {
    return (index + 1) * this.sizeUs + this.latenessUs;
  }
}
