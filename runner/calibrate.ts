/**
 * Machine calibration with tinybench: how many iterations of the CPU-cost loop take one
 * microsecond here. Measured once per invocation, in the parent, and passed to every trial,
 * so every mode of a run does exactly the same work per record.
 */
import { Bench } from 'tinybench';
import { burn } from '../engines/operators/cpu-cost.js';

const ITERATIONS = 20_000;

/** Iterations of {@link burn} per microsecond on this machine (median of samples). */
export function calibrateCpuIterationsPerUs(timeMs = 150): number {
  const bench = new Bench({ time: timeMs, warmupTime: 30 });
  let sink = 0;
  bench.add('burn', () => {
    sink ^= burn(sink, ITERATIONS);
  });
  bench.runSync();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`CPU calibration did not complete (${result.state})`);
  const medianUs = result.latency.p50 * 1000;
  return ITERATIONS / medianUs;
}
