import type { OperatorCodegen } from './fragment.js';
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

/** The filter operator's generated form: the rest of the pipeline inside the condition. */
export const filterCodegen: OperatorCodegen<FilterSpec> = (spec, scope) => ({
  code(input, next) {
    return `if (${input.v} % ${scope.literal(spec.dropMultiplesOf)} !== 0) {\n${next(input)}\n}`;
  },
});
