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
