/**
 * The scenario operators the peers can express, as plain per-record functions over
 * `{ eventTimeUs, key, value }` objects (what a Node user's pipeline would carry): map,
 * filter, keyed count, keyed sum and the calibrated CPU cost. Each peer wires them with its
 * own library's operators; any other operator is refused when the engine starts.
 */
import { burn } from 'streambench';

/** The operators every peer supports. */
export const SUPPORTED = ['map', 'filter', 'keyedCount', 'keyedSum', 'cpuCost'];

/**
 * The scenario's pipeline as a list of steps, each `(record) => record | undefined`
 * (undefined = dropped), with keyed state per key. Throws for an operator the peers lack.
 */
export function recordSteps(context, peer) {
  const { pipeline, keys, cpuIterationsPerUs } = context.task;
  return pipeline.map((spec) => {
    switch (spec.op) {
      case 'map':
        return (r) => ({ ...r, value: (r.value * spec.multiply + spec.add) % spec.modulo });
      case 'filter':
        return (r) => (r.value % spec.dropMultiplesOf !== 0 ? r : undefined);
      case 'keyedCount': {
        const counts = new Int32Array(keys);
        return (r) => ({ ...r, value: ++counts[r.key] });
      }
      case 'keyedSum': {
        const sums = new Int32Array(keys);
        return (r) => ({ ...r, value: (sums[r.key] = (sums[r.key] + r.value) & 0x7fffffff) });
      }
      case 'cpuCost': {
        const iterations = Math.max(1, Math.round(spec.micros * cpuIterationsPerUs));
        return (r) => ({ ...r, value: burn(r.value, iterations) % 1_000_000 });
      }
      default:
        throw new Error(`the ${peer} peer cannot express operator '${spec.op}'; it runs pipelines of ${SUPPORTED.join(', ')}`);
    }
  });
}
