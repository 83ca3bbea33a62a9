/**
 * A partition task's in-order pass for a record query (issue 14): the {@link RecordLoop}
 * that hands each offset's slot in the partition's shared record columns (`offset & mask`,
 * the source log's ring discipline) to the query's first operator, and the {@link RowSink}
 * at the end of the query's chain that turns each output row into one output record of the
 * task's measuring sink: its latency measured from the row's event time (a window's: the
 * largest event time in it), counted and timed exactly as a scalar record is, with the
 * row's {@link hashRow} folded into the digest (as its key; value 0). Everything after the
 * sink — delivery, commits, the slow sink, recovery — is the scalar task's, unchanged.
 */
import type { RowField, RowSink, SlotStage } from '../records/record-stage.js';
import { hashRow } from '../records/record-stage.js';
import type { Stage } from '../operators/stage.js';
import type { Delivery } from './delivery.js';
import type { RecordLoop } from '../codegen/record-loop-shape.js';

/** Each offset's slot into the query's head stage. */
export class SlotLoop implements RecordLoop {
  constructor(
    private readonly head: SlotStage,
    private readonly mask: number,
  ) {}

  processStretch(from: number, end: number, perRecord: Pick<Delivery, 'afterRecord'> | undefined): void {
    const { head, mask } = this;
    for (let offset = from; offset < end; ) {
      head.push(offset & mask);
      offset++;
      if (perRecord !== undefined) perRecord.afterRecord(offset);
    }
  }

  processRange(from: number, to: number): void {
    const { head, mask } = this;
    for (let offset = from; offset < to; offset++) head.push(offset & mask);
  }
}

/** Rows into the task's sink: one output record per row, `(eventTime, hashRow(fields), 0)`. */
export class RowsIntoSink implements RowSink {
  constructor(private readonly sink: Stage) {}

  row(eventTimeUs: number, fields: readonly RowField[]): void {
    this.sink.push(eventTimeUs, hashRow(fields), 0);
  }

  finish(): void {
    this.sink.finish();
  }
}

/** The query's head as the task's `Stage` (its end-of-input `finish`); records enter it by slot only. */
export class SlotHead implements Stage {
  constructor(private readonly head: SlotStage) {}

  push(): void {
    throw new Error('a record query takes its records by slot (SlotLoop), not as scalars');
  }

  finish(): void {
    this.head.finish();
  }
}
