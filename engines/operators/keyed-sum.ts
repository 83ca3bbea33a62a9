import type { OperatorCodegen } from './fragment.js';
import type { OperatorFactory, Stage } from './stage.js';

/** keyBy(key) + a running sum per key (mod 2^31): emits (key, sum so far) for every record. */
export interface KeyedSumSpec {
  op: 'keyedSum';
}

/** The keyed sum operator. Its output depends on per-key record order, which every mode preserves. */
export const keyedSum: OperatorFactory<KeyedSumSpec> = (_spec, next, context): Stage => {
  const sums = new Int32Array(context.keys);
  return {
    push(eventTimeUs, key, value) {
      const sum = (sums[key] + value) & 0x7fffffff;
      sums[key] = sum;
      next.push(eventTimeUs, key, sum);
    },
    finish() {
      next.finish();
    },
    snapshotState() {
      return sums.slice();
    },
    restoreState(state) {
      sums.set(state as Int32Array);
    },
  };
};

/** The keyed sum's generated form: the same sums (one `Int32Array` per partition), bound into the generated code. */
export const keyedSumCodegen: OperatorCodegen<KeyedSumSpec> = (_spec, scope, context) => {
  const sums = new Int32Array(context.keys);
  const name = scope.bind('sums', sums);
  return {
    code({ t, k, v }, next) {
      const out = scope.local('sum');
      return `const ${out} = (${name}[${k}] + ${v}) & 0x7fffffff;\n${name}[${k}] = ${out};\n${next({ t, k, v: out })}`;
    },
    snapshotState: () => sums.slice(),
    restoreState(state) {
      sums.set(state as Int32Array);
    },
  };
};
