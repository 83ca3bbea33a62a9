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
 */
export interface TumblingWindowSpec {
  op: 'tumblingWindow';
  sizeMs: number;
  maxOutOfOrdernessMs: number;
  allowedLatenessMs: number;
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
  };
};
