/**
 * What an operator contributes to whole-stage code generation (`engines/codegen/`): beside
 * its factory (an interpreted {@link Stage}), an operator may export an
 * {@link OperatorCodegen} that returns its state and a per-record code fragment. The
 * compiler splices the fragments of consecutive operators into one function per partition
 * task — the read from the source log's columns, every operator, the sink's buffer — so the
 * per-record path has no calls between stages (Spark's whole-stage codegen; JavaScript has
 * it in `new Function`).
 *
 * A fragment is JavaScript source over three expressions, the record's event time, key and
 * value ({@link RecordVars}); for each record it produces, it splices in `next(…)`, the code
 * of the rest of the pipeline (a filter wraps it in an `if`, a flatMap in a loop). Constants
 * of the spec go in as literals ({@link FragmentScope.literal}), state and helper functions
 * as bound names ({@link FragmentScope.bind}): the generated source depends on the spec
 * only, never on the partition, so one compiled function serves every task of a thread.
 * State lives in the objects bound (typed arrays), so the fragment's own
 * `snapshotState`/`restoreState` work at commit points as the interpreted operator's do, and
 * take and give the same shape of state.
 */
import type { OperatorContext } from './stage.js';

/** The record a fragment reads: three JavaScript expressions (usually local names). */
export interface RecordVars {
  /** Event time (µs, a double). */
  t: string;
  /** Key (int32). */
  k: string;
  /** Value (int32 range; a double where an operator computes one). */
  v: string;
}

/** The code of the rest of the pipeline for one output record. */
export type Continuation = (out: RecordVars) => string;

/** Names and literals for a fragment's source; every name it hands out is unique in the generated function. */
export interface FragmentScope {
  /** Binds `value` (state, a helper function) to a name the code may use; returns the name. */
  bind(hint: string, value: unknown): string;
  /** A fresh name for a local variable of the fragment's code. */
  local(hint: string): string;
  /** `value` as an exact JavaScript literal (finite numbers only; throws otherwise). */
  literal(value: number): string;
}

/** An operator's generated form: its per-record code, and its state for snapshots. */
export interface OperatorFragment {
  /** Most output records per input record (default 1): the compiler reserves the sink's room for a chunk of records from it. */
  readonly maxOutputs?: number;
  /** Code for one input record `input`; each output record continues with `next`. May be called more than once (one per generated loop). */
  code(input: RecordVars, next: Continuation): string;
  /** A copy of the state (the same shape the interpreted operator's `snapshotState` returns); stateless operators leave it out. */
  snapshotState?(): unknown;
  /** Replaces the state with one taken by {@link snapshotState} (of either form). */
  restoreState?(state: unknown): void;
}

/** Builds one operator's fragment from its declarative spec (binding its state in `scope`). */
export type OperatorCodegen<Spec> = (spec: Spec, scope: FragmentScope, context: OperatorContext) => OperatorFragment;

/**
 * The end of a generated pipeline: the sink's own code. Its buffer and digest live in locals
 * of the generated function between {@link enter} and {@link leave}. Around the delivery a
 * continuous loop calls after each record, the compiler writes back and reads again what a
 * delivery may read or change — the held records — and nothing more: a delivery emits or
 * drops held records, but neither pushes, nor reads the digest, nor sets the read time.
 */
export interface SinkFragment {
  /** Declarations at the start of a generated function: the sink's buffer into locals. */
  enter(): string;
  /** Code for one output record. */
  code(out: RecordVars): string;
  /**
   * Code that makes room for `outputs` (an expression) more output records, run before each
   * chunk of a loop, so the per-record code's own growth check is never taken in a loop.
   */
  reserve(outputs: string): string;
  /** Before a delivery is called: writes back the held records' extent. */
  beforeDelivery(): string;
  /** After it: reads the held records' extent again. */
  afterDelivery(): string;
  /** Writes every local back into the sink (at the end of the function). */
  leave(): string;
}
