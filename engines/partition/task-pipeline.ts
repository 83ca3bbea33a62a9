/**
 * The pipeline of a partition task, in the form `--codegen` chooses: generated
 * (`engines/codegen/compile-pipeline.ts`, the default) or interpreted (a chain of stages,
 * `engines/operators/pipeline.ts`, driven by {@link InterpretedLoop}). Either way the task
 * gets the same three things: the in-order loop, the head as a stage (for the priority
 * lane's record-by-record pushes and the final `finish`), and each operator's state for
 * snapshots. Both produce the same output (`test/codegen-*.test.ts`). A record query
 * (`records`, issue 14) is always interpreted: its operators read the partition's shared
 * record columns by slot (`slot-loop.ts`).
 */
import { RecordColumns } from '../../primitives/record-columns.js';
import type { SourceLog } from '../../primitives/source-log.js';
import { compilePipeline } from '../codegen/compile-pipeline.js';
import { buildPipelineStages, type OperatorSpec } from '../operators/pipeline.js';
import type { OperatorContext, Stage, StageState } from '../operators/stage.js';
import { buildRecordPipeline } from '../records/record-pipeline.js';
import type { RecordTaskSettings } from '../records/record-query.js';
import type { RecordCounters } from '../records/record-stage.js';
import type { RecordLoop } from '../codegen/record-loop-shape.js';
import { InterpretedLoop } from './record-loop.js';
import { RowsIntoSink, SlotHead, SlotLoop } from './slot-loop.js';

/** A task's pipeline: its in-order loop, its head, its operators' state. */
export interface TaskPipeline {
  readonly loop: RecordLoop;
  /** The head of the pipeline as a stage (the sink itself for an empty pipeline, interpreted). */
  readonly head: Stage;
  /** Each operator's state, in pipeline order. */
  readonly stages: readonly StageState[];
}

/** Builds the pipeline of the task reading `partition` of `log`, ending in `sink`: generated unless `codegen` is false. */
export function buildTaskPipeline(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext, log: SourceLog, partition: number, codegen: boolean): TaskPipeline {
  if (codegen) {
    const compiled = compilePipeline(specs, sink, context, { log, partition });
    return { loop: compiled, head: compiled.head, stages: compiled.stages };
  }
  const stages = buildPipelineStages(specs, sink, context);
  const head = stages[0] ?? sink;
  return { loop: new InterpretedLoop(log, partition, head), head, stages };
}

/** Builds the record query's pipeline of the task reading `partition`, over that partition's shared columns, ending in `sink`. */
export function buildRecordTaskPipeline(records: RecordTaskSettings, sink: Stage, counters: RecordCounters, partition: number): TaskPipeline {
  const columns = new RecordColumns(records.columns[partition]);
  const { head, stages } = buildRecordPipeline(records.query, records.windowScale, columns, new RowsIntoSink(sink), counters);
  return { loop: new SlotLoop(head, columns.mask), head: new SlotHead(head), stages };
}
