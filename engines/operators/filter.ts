import type { OperatorFactory, Stage } from './stage.js';

/** Keeps records whose value is not a multiple of `dropMultiplesOf` (e.g. 4 keeps 75%). */
export interface FilterSpec {
  op: 'filter';
  dropMultiplesOf: number;
}

/** The filter operator. */
export const filter: OperatorFactory<FilterSpec> = (spec, next): Stage => ({
  push(eventTimeUs, key, value) {
    if (value % spec.dropMultiplesOf !== 0) next.push(eventTimeUs, key, value);
  },
  finish() {
    next.finish();
  },
});
