/**
 * Whole-stage code generation (Spark's, in `new Function`): compiles a scenario's pipeline for
 * one partition task into fused functions — the in-order loops read the source log's columns
 * (`times[slot]`, `keys[slot]`, `values[slot]`), run every operator's code fragment in line
 * (`engines/operators/fragment.ts`) and append to the sink's buffer with the sink's own
 * fragment (`MeasuringSink.codegen`), so the per-record path has no calls between stages.
 *
 * An operator without a generated form (the tumbling window) splits the pipeline into
 * segments: the code before it ends in a call of its interpreted stage, whose `next` is the
 * next segment, generated as a stage of its own. A sink that cannot be appended to in line (a
 * replay's sink, which counts in `push`; a classified sink, which routes) is called. So every
 * pipeline compiles, and each generated part is one function per call.
 *
 * The head segment yields three functions: `processRange` (batch), `processStretch`
 * (continuous, calling the delivery after each record) and `push` (one record: the priority
 * lane's routing pushes record by record). Operator state stays in the objects the fragments
 * bind (typed arrays), snapshot and restored through {@link CompiledPipeline.stages}.
 */
import type { SourceLog } from '../../primitives/source-log.js';
import type { FragmentScope, OperatorFragment, RecordVars, SinkFragment } from '../operators/fragment.js';
import { buildStage, codegenOf, type OperatorSpec } from '../operators/pipeline.js';
import type { OperatorContext, Stage, StageState } from '../operators/stage.js';
import type { RecordLoop } from './record-loop-shape.js';
import { CodeScope } from './code-scope.js';
import { instantiate, type GeneratedSource } from './compile-source.js';

/** Most output records a generated loop appends between two reservations of the sink's room. */
const CHUNK_OUTPUTS = 4096;
/** Empty calls of each generated loop at compile time (see `compilePipeline`). */
const PRIMING_CALLS = 100;

/** A pipeline compiled for one partition task: its in-order loops, its head as a stage, its operators' state. */
export interface CompiledPipeline extends RecordLoop {
  /** The head of the pipeline as a stage (its `push` generated), ending in the sink. */
  readonly head: Stage;
  /** Each operator's state, in pipeline order, for snapshots at commit points (`TaskRecovery`). */
  readonly stages: readonly StageState[];
}

/** A sink that contributes its own code (a `MeasuringSink`): appended to in line when `inlinable`. */
export interface GeneratingSink extends Stage {
  readonly inlinable: boolean;
  codegen(scope: FragmentScope): SinkFragment;
}

/** Where the pipeline's records come from: one partition of the source log. */
export interface PipelineSource {
  log: SourceLog;
  partition: number;
}

/** Whether `sink` can be appended to by generated code. */
function isInlinable(sink: Stage): sink is GeneratingSink {
  const candidate = sink as Partial<GeneratingSink>;
  return candidate.inlinable === true && typeof candidate.codegen === 'function';
}

/** The end of a segment that calls a stage (an interpreted operator, or a sink that cannot be inlined). */
function callStage(scope: FragmentScope, stage: Stage): SinkFragment {
  const name = scope.bind('stage', stage);
  return { enter: () => '', code: ({ t, k, v }) => `${name}.push(${t}, ${k}, ${v});`, reserve: () => '', beforeDelivery: () => '', afterDelivery: () => '', leave: () => '' };
}

/** The code for one record `input` through `fragments` into `end`. */
function chain(fragments: readonly OperatorFragment[], end: SinkFragment, input: RecordVars): string {
  const step = (i: number, vars: RecordVars): string => (i === fragments.length ? end.code(vars) : fragments[i].code(vars, (out) => step(i + 1, out)));
  return step(0, input);
}

/** Fresh names for a record's three fields. */
function recordVars(scope: FragmentScope): RecordVars {
  return { t: scope.local('eventTimeUs'), k: scope.local('key'), v: scope.local('value') };
}

/** `function push(t, k, v)`: one record through the segment. */
function pushFunction(scope: FragmentScope, fragments: readonly OperatorFragment[], end: SinkFragment): string {
  const vars = recordVars(scope);
  return [`function push(${vars.t}, ${vars.k}, ${vars.v}) {`, end.enter(), chain(fragments, end, vars), end.leave(), '}'].join('\n');
}

/** The head segment's in-order loops over the partition's columns: `processRange` and `processStretch`. */
function loopFunctions(scope: FragmentScope, fragments: readonly OperatorFragment[], end: SinkFragment, { log, partition }: PipelineSource): string {
  const base = log.slot(partition, 0);
  const mask = log.capacity - 1;
  if (log.slot(partition, mask) !== base + mask || log.slot(partition, mask + 1) !== base) throw new Error('code generation: the source log is not one ring per partition');
  const times = scope.bind('times', log.eventTime);
  const keys = scope.bind('keys', log.key);
  const values = scope.bind('values', log.value);
  const baseName = scope.bind('base', base);
  const maskName = scope.bind('mask', mask);
  const read = (offset: string): { code: string; vars: RecordVars } => {
    const slot = scope.local('slot');
    const vars = recordVars(scope);
    const code = `const ${slot} = ${baseName} + (${offset} & ${maskName});\nconst ${vars.t} = ${times}[${slot}];\nconst ${vars.k} = ${keys}[${slot}];\nconst ${vars.v} = ${values}[${slot}];`;
    return { code, vars };
  };
  const fanout = fragments.reduce((outputs, fragment) => outputs * (fragment.maxOutputs ?? 1), 1);
  const chunkRecords = Math.max(1, Math.floor(CHUNK_OUTPUTS / fanout));
  /** A loop over [from, to) in chunks: room for each chunk's outputs is reserved before it, so the record loop has no rare branch. */
  const chunked = (from: string, to: string, perRecord: (offset: string) => string): string[] => {
    const [chunk, chunkEnd, offset] = [scope.local('chunk'), scope.local('chunkEnd'), scope.local('offset')];
    const record = read(offset);
    return [
      `for (let ${chunk} = ${from}; ${chunk} < ${to}; ) {`,
      `const ${chunkEnd} = Math.min(${to}, ${chunk} + ${chunkRecords});`,
      end.reserve(`(${chunkEnd} - ${chunk}) * ${fanout}`),
      `for (let ${offset} = ${chunk}; ${offset} < ${chunkEnd}; ) {`,
      record.code,
      chain(fragments, end, record.vars),
      `${offset}++;`,
      perRecord(offset),
      '}',
      `${chunk} = ${chunkEnd};`,
      '}',
    ];
  };
  const range = (): string => {
    const [from, to] = [scope.local('from'), scope.local('to')];
    return [`function processRange(${from}, ${to}) {`, end.enter(), ...chunked(from, to, () => ''), end.leave(), '}'].join('\n');
  };
  const stretch = (): string => {
    const [from, until, perRecord] = [scope.local('from'), scope.local('end'), scope.local('perRecord')];
    const after = (offset: string): string => [`if (${perRecord} !== undefined) {`, end.beforeDelivery(), `${perRecord}.afterRecord(${offset});`, end.afterDelivery(), '}'].join('\n');
    return [`function processStretch(${from}, ${until}, ${perRecord}) {`, end.enter(), ...chunked(from, until, after), end.leave(), '}'].join('\n');
  };
  return `${range()}\n${stretch()}`;
}

/** A segment being compiled: its scope, its operators' fragments and its end. */
interface Segment {
  scope: CodeScope;
  fragments: OperatorFragment[];
  end: SinkFragment;
}

/** Starts a segment of `specs` (all with a generated form) ending in `next`: the sink's own code where it can be inlined, else a call. */
function openSegment(specs: readonly OperatorSpec[], next: Stage, inlineSink: boolean, context: OperatorContext): Segment {
  const scope = new CodeScope();
  const fragments = specs.map((spec) => (codegenOf(spec) as NonNullable<ReturnType<typeof codegenOf>>)(spec, scope, context));
  const end = inlineSink && isInlinable(next) ? next.codegen(scope) : callStage(scope, next);
  return { scope, fragments, end };
}

/** The generated source of a segment. */
function segmentSource(segment: Segment, label: string, specs: readonly OperatorSpec[], body: string): GeneratedSource {
  return { names: segment.scope.names, body, label, comment: `streambench whole-stage codegen: ${label}\npipeline: ${JSON.stringify(specs)}` };
}

/** Compiles `specs` for the task reading `source`, ending in `sink`. */
export function compilePipeline(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext, source: PipelineSource): CompiledPipeline {
  const stem = specs.map((spec) => spec.op).join('-') || 'empty';
  const stages: StageState[] = new Array<StageState>(specs.length);
  let next: Stage = sink;
  let nextIsSink = true;
  let segmentEnd = specs.length;
  let tails = 0;
  // From the end: each operator without a generated form closes the segment after it.
  for (let i = specs.length - 1; i >= 0; i--) {
    if (codegenOf(specs[i])) continue;
    // Two interpreted operators in a row are linked directly; a sink is always reached through generated code (to append in line).
    if (segmentEnd > i + 1 || (nextIsSink && isInlinable(sink))) next = compileTail(specs.slice(i + 1, segmentEnd), i + 1);
    const interpreted = buildStage(specs[i], next, context);
    stages[i] = interpreted;
    next = interpreted;
    nextIsSink = false;
    segmentEnd = i;
  }
  const headSpecs = specs.slice(0, segmentEnd);
  const head = openSegment(headSpecs, next, nextIsSink, context);
  head.fragments.forEach((fragment, i) => (stages[i] = fragment));
  const body = `'use strict';\n${pushFunction(head.scope, head.fragments, head.end)}\n${loopFunctions(head.scope, head.fragments, head.end, source)}\nreturn { push, processRange, processStretch };`;
  const functions = instantiate<{ push: Stage['push'] } & RecordLoop>(segmentSource(head, `${stem}.head`, specs, body), head.scope.values);
  // Empty ranges run each loop's entry and exit, so V8 has their type feedback (it collects feedback only once a
  // function has run ~1 KB of bytecode) before it optimizes a long first loop: otherwise the exit, first reached in
  // optimized code, deopts — and V8 may keep re-entering that on-stack-replaced code, deopting at every exit.
  for (let i = 0; i < PRIMING_CALLS; i++) {
    functions.processRange(0, 0);
    functions.processStretch(0, 0, undefined);
  }
  const after = next;
  return {
    head: { push: functions.push, finish: () => after.finish() },
    stages,
    processRange: functions.processRange,
    processStretch: functions.processStretch,
  };

  /** The generated stage of the operators specs[from, from + part.length), ending in `next`. */
  function compileTail(part: readonly OperatorSpec[], from: number): Stage {
    const segment = openSegment(part, next, nextIsSink, context);
    segment.fragments.forEach((fragment, j) => (stages[from + j] = fragment));
    const body = `'use strict';\n${pushFunction(segment.scope, segment.fragments, segment.end)}\nreturn { push };`;
    const { push } = instantiate<{ push: Stage['push'] }>(segmentSource(segment, `${stem}.tail${++tails}`, specs, body), segment.scope.values);
    const after = next;
    return { push, finish: () => after.finish() };
  }
}
