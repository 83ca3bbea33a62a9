import type { OperatorCodegen } from './fragment.js';
import type { OperatorFactory, Stage } from './stage.js';

/** keyBy(key) + a running count per key: emits (key, count so far) for every record. */
export interface KeyedCountSpec {
  op: 'keyedCount';
}

/** The keyed count operator; its state is one counter per key of this partition. */
export const keyedCount: OperatorFactory<KeyedCountSpec> = (_spec, next, context): Stage => {
  const counts = new Int32Array(context.keys);
  return {
    push(eventTimeUs, key, _value) {
      next.push(eventTimeUs, key, ++counts[key]);
    },
    finish() {
      next.finish();
    },
    snapshotState() {
      return counts.slice();
    },
    restoreState(state) {
      counts.set(state as Int32Array);
    },
  };
};

/** The keyed count's generated form: the same counters (one `Int32Array` per partition), bound into the generated code. */
export const keyedCountCodegen: OperatorCodegen<KeyedCountSpec> = (_spec, scope, context) => {
  const counts = new Int32Array(context.keys);
  const name = scope.bind('counts', counts);
  return {
    code({ t, k }, next) {
      const out = scope.local('count');
      return `const ${out} = ++${name}[${k}];\n${next({ t, k, v: out })}`;
    },
    snapshotState: () => counts.slice(),
    restoreState(state) {
      counts.set(state as Int32Array);
    },
  };
};
