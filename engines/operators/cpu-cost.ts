import type { OperatorCodegen } from './fragment.js';
import type { OperatorContext, OperatorFactory, Stage } from './stage.js';

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

/** Rounds of {@link burn} per record: `micros` at the run's calibrated rate, at least one. */
function iterationsFor(spec: CpuCostSpec, context: OperatorContext): number {
  return Math.max(1, Math.round(spec.micros * context.cpuIterationsPerUs));
}

/** The CPU-cost operator. Iterations per µs come from the run's calibration, so every mode does the same work. */
export const cpuCost: OperatorFactory<CpuCostSpec> = (spec, next, context): Stage => {
  const iterations = iterationsFor(spec, context);
  return {
    push(eventTimeUs, key, value) {
      next.push(eventTimeUs, key, burn(value, iterations) % 1_000_000);
    },
    finish() {
      next.finish();
    },
  };
};

/** The CPU-cost operator's generated form: a call of {@link burn} with the same iterations (the work itself is the point). */
export const cpuCostCodegen: OperatorCodegen<CpuCostSpec> = (spec, scope, context) => {
  const work = scope.bind('burn', burn);
  const iterations = scope.literal(iterationsFor(spec, context));
  return {
    code({ t, k, v }, next) {
      const out = scope.local('burned');
      return `const ${out} = ${work}(${v}, ${iterations}) % 1000000;\n${next({ t, k, v: out })}`;
    },
  };
};
