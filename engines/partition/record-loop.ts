/**
 * How a partition task's in-order pass reads its records into the pipeline: a
 * {@link RecordLoop} over a range of offsets of its partition of the source log. Two forms
 * serve every pipeline — the interpreted loop below, which pushes each record into the head
 * stage of the operator chain, and the generated one (`engines/codegen/compile-pipeline.ts`,
 * `--codegen on`), which reads the columns, runs every operator and appends to the sink's
 * buffer in one function. They produce the same output; the routing seam (`routing.ts`)
 * drives either.
 */
import type { SourceLog } from '../../primitives/source-log.js';
import type { Stage } from '../operators/stage.js';
import type { AfterRecord, RecordLoop } from '../codegen/record-loop-shape.js';

/** The interpreted loop: each record into the head stage of the operator chain (`--codegen off`). */
export class InterpretedLoop implements RecordLoop {
  private readonly times: Float64Array;
  private readonly keys: Int32Array;
  private readonly values: Int32Array;

  constructor(
    private readonly log: SourceLog,
    private readonly partition: number,
    private readonly head: Stage,
  ) {
    this.times = log.eventTime;
    this.keys = log.key;
    this.values = log.value;
  }

  processStretch(from: number, end: number, perRecord: AfterRecord | undefined): void {
    const { log, partition, head, times, keys, values } = this;
    for (let offset = from; offset < end; ) {
      const slot = log.slot(partition, offset);
      head.push(times[slot], keys[slot], values[slot]);
      offset++;
      if (perRecord !== undefined) perRecord.afterRecord(offset);
    }
  }

  processRange(from: number, to: number): void {
    const { log, partition, head, times, keys, values } = this;
    for (let offset = from; offset < to; offset++) {
      const slot = log.slot(partition, offset);
      head.push(times[slot], keys[slot], values[slot]);
    }
  }
}
