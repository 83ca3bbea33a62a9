/**
 * The pipeline of a partition task, in the form `--codegen` chooses: generated
 * (`engines/codegen/compile-pipeline.ts`, the default) or interpreted (a chain of stages,
 * `engines/operators/pipeline.ts`, driven by {@link InterpretedLoop}). Either way the task
 * gets the same three things: the in-order loop, the head as a stage (for the priority
 * lane's record-by-record pushes and the final `finish`), and each operator's state for
 * snapshots. Both produce the same output (`test/codegen-*.test.ts`).
 */
import type { SourceLog } from '../../primitives/source-log.js';
import { compilePipeline } from '../codegen/compile-pipeline.js';
import { buildPipelineStages, type OperatorSpec } from '../operators/pipeline.js';
import type { OperatorContext, Stage, StageState } from '../operators/stage.js';
import { InterpretedLoop, type RecordLoop } from './record-loop.js';

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
