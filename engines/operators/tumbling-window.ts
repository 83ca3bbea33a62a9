import { mix32 } from '../../primitives/random.js';
import type { OperatorFactory, Stage } from './stage.js';

/**
 * Event-time tumbling windows with a bounded-out-of-orderness watermark and allowed
 * lateness. The watermark is the largest event time seen minus `maxOutOfOrdernessMs`; a
 * window [s, s + size) fires once the watermark reaches s + size + allowed lateness, emitting
 * one record per key: (key, hash of window, count and sum), stamped with the largest event
 * time in the window (so its latency is emit time − that, as Karimov et al. define it).
 * A record for a window that already fired is dropped and counted (`lateDropped`).
 *
 * Every decision depends only on the partition's records in offset order, which every
 * mode preserves, so all modes emit the same windows.
 *
 * Its state — the watermark, each open window, each (window, key) count and sum — snapshots
 * to a {@link WindowsState} (only the keys a window saw), which the budgeted form
 * (`budgeted-tumbling-window.ts`) takes and gives too, so a fault's replacement task restores
 * the windows it had open. A snapshot walks every open window's keys (at every commit point of
 * a run with a fault).
 */
export interface TumblingWindowSpec {
  op: 'tumblingWindow';
  sizeMs: number;
  maxOutOfOrdernessMs: number;
  allowedLatenessMs: number;
}

/** Keys are below 2^24 (the workload schema's bound): an entry of a window's state is keyed window index · 2^24 + key. */
export const WINDOW_KEY_SPAN = 2 ** 24;

/** A tumbling window operator's state as plain data (structured-cloneable), either form's. */
export interface WindowsState {
  /** Largest event time seen less the out-of-orderness bound; -Infinity before any record. */
  watermarkUs: number;
  /** Each open window: its index (start ÷ size) and the largest event time in it, in index order. */
  windows: { index: number; maxEventTimeUs: number }[];
  /** Each (window, key) the open windows saw: window index · 2^24 + key, its count and its sum. */
  entries: Float64Array;
  counts: Int32Array;
  sums: Int32Array;
}

interface WindowState {
  index: number;
  maxEventTimeUs: number;
  counts: Int32Array;
  sums: Int32Array;
}

/** The tumbling window operator. */
export const tumblingWindow: OperatorFactory<TumblingWindowSpec> = (spec, next, context): Stage => {
  const sizeUs = spec.sizeMs * 1000;
  const boundUs = spec.maxOutOfOrdernessMs * 1000;
  const latenessUs = spec.allowedLatenessMs * 1000;
  const open: WindowState[] = []; // sorted by index
  let watermarkUs = -Infinity;

  const closesAt = (index: number): number => (index + 1) * sizeUs + latenessUs;

  const fire = (window: WindowState): void => {
    for (let key = 0; key < context.keys; key++) {
      const count = window.counts[key];
      if (count > 0) next.push(window.maxEventTimeUs, key, mix32(mix32(window.index, count), window.sums[key]) & 0x7fffffff);
    }
  };

  const windowFor = (index: number): WindowState => {
    let at = open.length;
    while (at > 0 && open[at - 1].index > index) at--;
    if (at > 0 && open[at - 1].index === index) return open[at - 1];
    const window = { index, maxEventTimeUs: -Infinity, counts: new Int32Array(context.keys), sums: new Int32Array(context.keys) };
    open.splice(at, 0, window);
    return window;
  };

  return {
    push(eventTimeUs, key, value) {
      const index = Math.floor(eventTimeUs / sizeUs);
      if (closesAt(index) <= watermarkUs) {
        context.counters.lateDropped++;
        return;
      }
      const window = windowFor(index);
      window.counts[key]++;
      window.sums[key] = (window.sums[key] + value) & 0x7fffffff;
      if (eventTimeUs > window.maxEventTimeUs) window.maxEventTimeUs = eventTimeUs;
      if (eventTimeUs - boundUs > watermarkUs) {
        watermarkUs = eventTimeUs - boundUs;
        while (open.length > 0 && closesAt(open[0].index) <= watermarkUs) fire(open.shift() as WindowState);
      }
    },
    finish() {
      while (open.length > 0) fire(open.shift() as WindowState);
      next.finish();
    },
    snapshotState(): WindowsState {
      const entries: number[] = [];
      const counts: number[] = [];
      const sums: number[] = [];
      for (const window of open) {
        for (let key = 0; key < context.keys; key++) {
          if (window.counts[key] === 0) continue;
          entries.push(window.index * WINDOW_KEY_SPAN + key);
          counts.push(window.counts[key]);
          sums.push(window.sums[key]);
        }
      }
      return {
        watermarkUs,
        windows: open.map((window) => ({ index: window.index, maxEventTimeUs: window.maxEventTimeUs })),
        entries: Float64Array.from(entries),
        counts: Int32Array.from(counts),
        sums: Int32Array.from(sums),
      };
    },
    restoreState(state) {
      const snapshot = state as WindowsState;
      watermarkUs = snapshot.watermarkUs;
      open.length = 0;
      for (const { index, maxEventTimeUs } of snapshot.windows) open.push({ index, maxEventTimeUs, counts: new Int32Array(context.keys), sums: new Int32Array(context.keys) });
      snapshot.entries.forEach((entry, i) => {
        const window = windowFor(Math.floor(entry / WINDOW_KEY_SPAN));
        const key = entry % WINDOW_KEY_SPAN;
        window.counts[key] = snapshot.counts[i];
        window.sums[key] = snapshot.sums[i];
      });
    },
  };
};
