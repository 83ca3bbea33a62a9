import type { SpillStore } from '../state/spill-store.js';

/**
 * A pipeline stage: records flow through a chain of stages as three scalars (event time,
 * key, value), so the hot path allocates nothing. `finish` signals the end of the input
 * (a bounded run's final watermark) and is passed down the chain.
 */
export interface Stage {
  push(eventTimeUs: number, key: number, value: number): void;
  finish(): void;
  /**
   * A copy of the operator's state (structured-cloneable), for recovery after a fault;
   * stateless operators leave it out. A stateful operator without it cannot be recovered.
   */
  snapshotState?(): unknown;
  /** Replaces the state with one taken by {@link snapshotState}. */
  restoreState?(state: unknown): void;
}

/** The part of a stage a fault recovery uses: its state's snapshot and restore (an interpreted stage, or a generated operator's). */
export type StageState = Pick<Stage, 'snapshotState' | 'restoreState'>;

/** What operators may need from the place they run. */
export interface OperatorContext {
  /** Key cardinality of the scenario (keys are 0 .. keys-1). */
  keys: number;
  /** Iterations of the CPU-cost loop per microsecond, calibrated once per run. */
  cpuIterationsPerUs: number;
  /** Counters an operator reports at the end of the run. */
  counters: { lateDropped: number };
  /** With a memory budget: the task's spill store, where budgeted operators keep what does not fit (`engines/state/`). */
  spill?: SpillStore;
}

/** Builds one operator from its declarative spec, feeding `next`. */
export type OperatorFactory<Spec> = (spec: Spec, next: Stage, context: OperatorContext) => Stage;
