/**
 * The two ends of a tapped pipeline (`engines/output-tap.ts`), for a mode run behind a broker:
 * `tapInput` at the head notes the partition and input offset of the record being processed,
 * `tapOutput` at the tail copies every output record, with that offset, into the output ring,
 * then passes it on to the sink unchanged. Both run in the same partition task, on one thread,
 * one record at a time, so the offset the tail reads is the one the head set for the record
 * (or, for results a later record or the end of the input releases, for that record).
 */
import { OutputTapRing, type TapInputSpec, type TapOutputSpec } from '../output-tap.js';
import type { OperatorFactory, Stage } from './stage.js';

/** The record being processed on this thread: its partition and offset (set by the head, read by the tail). */
const current = { partition: 0, offset: -1 };

/** The head: counts the records of each partition (offsets from 0, the start of the local source log). */
export const tapInput: OperatorFactory<TapInputSpec> = (spec, next): Stage => {
  const offsets = new Float64Array(spec.partitions);
  return {
    push(eventTimeUs, key, value) {
      const partition = key % spec.partitions;
      current.partition = partition;
      current.offset = offsets[partition]++;
      next.push(eventTimeUs, key, value);
    },
    finish() {
      next.finish();
    },
  };
};

/** The tail: every output record goes into the ring, tagged with the input offset that produced it. */
export const tapOutput: OperatorFactory<TapOutputSpec> = (spec, next): Stage => {
  const ring = new OutputTapRing(spec.buffers);
  return {
    push(eventTimeUs, key, value) {
      ring.write(current.partition, eventTimeUs, key, value, current.offset);
      next.push(eventTimeUs, key, value);
    },
    finish() {
      next.finish();
    },
  };
};
