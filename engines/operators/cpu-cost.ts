import type { OperatorFactory, Stage } from './stage.js';

/** Real CPU work of about `micros` µs per record (an integer mixing loop), its result kept in the value. */
export interface CpuCostSpec {
  op: 'cpuCost';
  micros: number;
}

/** Runs `iterations` rounds of an LCG-and-xorshift mix on `seed`; the result depends on every round. */
export function burn(seed: number, iterations: number): number {
  let x = seed | 0;
  for (let i = 0; i < iterations; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    x ^= x >>> 13;
  }
  return x >>> 0;
}

/** The CPU-cost operator. Iterations per µs come from the run's calibration, so every mode does the same work. */
export const cpuCost: OperatorFactory<CpuCostSpec> = (spec, next, context): Stage => {
  const iterations = Math.max(1, Math.round(spec.micros * context.cpuIterationsPerUs));
  return {
    push(eventTimeUs, key, value) {
      next.push(eventTimeUs, key, burn(value, iterations) % 1_000_000);
    },
    finish() {
      next.finish();
    },
  };
};
