/**
 * Whole-stage code generation pinned against the interpreted operators, in one thread, on
 * hand-built records: every operator alone and in chains (a tumbling window, which has no
 * generated form, in the middle and at the head), through each generated entry point (the
 * batch loop, the continuous loop with its per-record delivery, one record at a time), with
 * the same outputs, the same `finish`, the same counters and the same operator state —
 * snapshots of either form restore into the other.
 */
import { describe, expect, it } from 'vitest';
import { compilePipeline, type CompiledPipeline } from '../engines/codegen/compile-pipeline.js';
import { buildPipelineStages, type OperatorSpec } from '../engines/operators/pipeline.js';
import type { OperatorContext, Stage } from '../engines/operators/stage.js';
import { Random } from '../primitives/random.js';
import { SourceLog } from '../primitives/source-log.js';

type Rec = [eventTimeUs: number, key: number, value: number];

/** A sink that keeps what it receives (not a measuring sink: generated code calls its `push`). */
class Collect implements Stage {
  records: Rec[] = [];
  finished = 0;
  push(eventTimeUs: number, key: number, value: number): void {
    this.records.push([eventTimeUs, key, value]);
  }
  finish(): void {
    this.finished++;
  }
}

const KEYS = 8;

function context(): OperatorContext {
  return { keys: KEYS, cpuIterationsPerUs: 3, counters: { lateDropped: 0 } };
}

/** Seeded records: rising event times with some disorder, keys below KEYS, values over the int32 range's low part and edges. */
function records(count: number, seed = 7): Rec[] {
  const random = new Random(seed);
  const edges = [0, 1, 3, 4, 999_999, 2 ** 31 - 1];
  return Array.from({ length: count }, (_, i): Rec => [i * 700 + random.below(3000), random.below(KEYS), i < edges.length ? edges[i] : random.below(1_000_000)]);
}

/** A log whose partition `partition` of 2 holds `input` at offsets 0.. (the other partition holds noise). */
function logOf(input: readonly Rec[], partition = 1): SourceLog {
  const log = SourceLog.create(2, Math.max(1024, input.length));
  input.forEach(([t, k, v], offset) => {
    const slot = log.slot(partition, offset);
    log.eventTime[slot] = t;
    log.key[slot] = k;
    log.value[slot] = v;
    const other = log.slot(1 - partition, offset);
    log.eventTime[other] = -5;
    log.key[other] = 0;
    log.value[other] = 123;
  });
  return log;
}

function interpreted(specs: readonly OperatorSpec[], input: readonly Rec[]): { out: Rec[]; sink: Collect; ctx: OperatorContext; stages: Stage[] } {
  const sink = new Collect();
  const ctx = context();
  const stages = buildPipelineStages(specs, sink, ctx);
  const head = stages[0] ?? sink;
  for (const [t, k, v] of input) head.push(t, k, v);
  head.finish();
  return { out: sink.records, sink, ctx, stages };
}

type EntryPoint = 'processRange' | 'processStretch' | 'push';

function generated(specs: readonly OperatorSpec[], input: readonly Rec[], entry: EntryPoint): { out: Rec[]; sink: Collect; ctx: OperatorContext; compiled: CompiledPipeline; afterRecord: number[] } {
  const sink = new Collect();
  const ctx = context();
  const log = logOf(input);
  const compiled = compilePipeline(specs, sink, ctx, { log, partition: 1 });
  const afterRecord: number[] = [];
  if (entry === 'processRange') compiled.processRange(0, input.length);
  else if (entry === 'processStretch') compiled.processStretch(0, input.length, { afterRecord: (offset) => void afterRecord.push(offset) });
  else for (const [t, k, v] of input) compiled.head.push(t, k, v);
  compiled.head.finish();
  return { out: sink.records, sink, ctx, compiled, afterRecord };
}

const window = { op: 'tumblingWindow', sizeMs: 10, maxOutOfOrdernessMs: 2, allowedLatenessMs: 1 } as const;
const pipelines: [name: string, specs: OperatorSpec[]][] = [
  ['empty', []],
  ['map', [{ op: 'map', multiply: 7, add: 3, modulo: 1_000_003 }]],
  ['filter', [{ op: 'filter', dropMultiplesOf: 3 }]],
  ['flatMap', [{ op: 'flatMap', maxTokens: 4, vocabulary: 50 }]],
  ['keyedCount', [{ op: 'keyedCount' }]],
  ['keyedSum', [{ op: 'keyedSum' }]],
  ['cpuCost', [{ op: 'cpuCost', micros: 2 }]],
  ['tumblingWindow', [window]],
  ['map+filter+keyedCount (steady)', [{ op: 'map', multiply: 3, add: 7, modulo: 1_000_003 }, { op: 'filter', dropMultiplesOf: 4 }, { op: 'keyedCount' }]],
  ['flatMap+keyedSum', [{ op: 'flatMap', maxTokens: 5, vocabulary: 1000 }, { op: 'keyedSum' }]],
  ['map+window+filter+keyedCount (a window mid-pipeline)', [{ op: 'map', multiply: 3, add: 7, modulo: 1_000_003 }, window, { op: 'filter', dropMultiplesOf: 2 }, { op: 'keyedCount' }]],
  ['window+window (interpreted stages in a row)', [window, { ...window, sizeMs: 20 }]],
];

describe.each(pipelines)('generated %s', (_name, specs) => {
  const input = records(600);
  const reference = interpreted(specs, input);

  it.each<EntryPoint>(['processRange', 'processStretch', 'push'])('through %s: the interpreted outputs, finish once, the same counters', (entry) => {
    const run = generated(specs, input, entry);
    expect(run.out).toEqual(reference.out);
    expect(run.sink.finished).toBe(1);
    expect(run.ctx.counters).toEqual(reference.ctx.counters);
    if (entry === 'processStretch') expect(run.afterRecord).toEqual(input.map((_, i) => i + 1));
  });

  it("has each operator's state, in the interpreted operator's shape", () => {
    const run = generated(specs, input, 'processRange');
    expect(run.compiled.stages).toHaveLength(specs.length);
    run.compiled.stages.forEach((stage, i) => expect(stage.snapshotState?.()).toEqual(reference.stages[i].snapshotState?.()));
  });
});

describe('generated operator state', () => {
  const specs: OperatorSpec[] = [{ op: 'flatMap', maxTokens: 3, vocabulary: 40 }, { op: 'keyedCount' }, { op: 'keyedSum' }];
  const input = records(400, 3);
  const [firstHalf, secondHalf] = [input.slice(0, 200), input.slice(200)];

  it('restores from a snapshot of either form and continues as an uninterrupted run', () => {
    const whole = interpreted(specs, input).out;
    const before = interpreted(specs, firstHalf);
    const generatedBefore = generated(specs, firstHalf, 'processRange');
    for (const snapshots of [before.stages.map((s) => s.snapshotState?.()), generatedBefore.compiled.stages.map((s) => s.snapshotState?.())]) {
      const sink = new Collect();
      const compiled = compilePipeline(specs, sink, context(), { log: logOf(secondHalf), partition: 1 });
      compiled.stages.forEach((stage, i) => stage.restoreState?.(snapshots[i]));
      compiled.processRange(0, secondHalf.length);
      expect([...before.out, ...sink.records]).toEqual(whole);
    }
  });

  it('is its own per compiled pipeline, though the generated source is shared', () => {
    const specsOne: OperatorSpec[] = [{ op: 'keyedCount' }];
    const [a, b] = [new Collect(), new Collect()];
    const log = logOf([]);
    const first = compilePipeline(specsOne, a, context(), { log, partition: 1 });
    const second = compilePipeline(specsOne, b, context(), { log, partition: 0 });
    for (let i = 0; i < 3; i++) first.head.push(i, 5, 0);
    second.head.push(9, 5, 0);
    expect(a.records.map((r) => r[2])).toEqual([1, 2, 3]);
    expect(b.records).toEqual([[9, 5, 1]]);
  });
});

describe('generated loops', () => {
  it('read their own partition of the log at ring positions past the first lap', () => {
    const specs: OperatorSpec[] = [{ op: 'map', multiply: 1, add: 1, modulo: 1e9 }];
    const log = SourceLog.create(2, 1024);
    for (let offset = 1500; offset < 1600; offset++) {
      for (const partition of [0, 1]) {
        const slot = log.slot(partition, offset);
        log.eventTime[slot] = offset;
        log.key[slot] = partition;
        log.value[slot] = offset * 10 + partition;
      }
    }
    const sink = new Collect();
    compilePipeline(specs, sink, context(), { log, partition: 1 }).processRange(1500, 1600);
    expect(sink.records).toEqual(Array.from({ length: 100 }, (_, i): Rec => [1500 + i, 1, (1500 + i) * 10 + 1 + 1]));
  });
});
