import type { OperatorCodegen } from './fragment.js';
import type { OperatorFactory, Stage } from './stage.js';

/** `value → (value · multiply + add) mod modulo`: a deterministic per-record transform. */
export interface MapSpec {
  op: 'map';
  multiply: number;
  add: number;
  modulo: number;
}

/** The map operator. */
export const map: OperatorFactory<MapSpec> = (spec, next): Stage => ({
  push(eventTimeUs, key, value) {
    next.push(eventTimeUs, key, (value * spec.multiply + spec.add) % spec.modulo);
  },
  finish() {
    next.finish();
  },
});

/** The map operator's generated form: the same expression, the spec's numbers as literals. */
export const mapCodegen: OperatorCodegen<MapSpec> = (spec, scope) => ({
  code({ t, k, v }, next) {
    const out = scope.local('mapped');
    return `const ${out} = (${v} * ${scope.literal(spec.multiply)} + ${scope.literal(spec.add)}) % ${scope.literal(spec.modulo)};\n${next({ t, k, v: out })}`;
  },
});
