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
