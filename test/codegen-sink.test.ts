/**
 * The sink's generated code and the code generator's plumbing, in one thread: a measuring
 * sink appended to in line holds, digests and measures exactly what `push` would (latency
 * histograms, timeline, latency bins, at each emit a ManualClock-free time given by the test);
 * sinks that cannot be inlined are called; names and literals are safe; generated sources
 * are cached per pipeline shape and written out with STREAMBENCH_CODEGEN_DUMP.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeScope } from '../engines/codegen/code-scope.js';
import { compilePipeline } from '../engines/codegen/compile-pipeline.js';
import { CODEGEN_DUMP_ENV } from '../engines/codegen/compile-source.js';
import { buildPipeline, type OperatorSpec } from '../engines/operators/pipeline.js';
import type { OperatorContext } from '../engines/operators/stage.js';
import { MeasuringSink } from '../engines/partition/measuring-sink.js';
import { ReplayingMeasuringSink } from '../engines/partition/replay-sink.js';
import { ClassifiedSink } from '../engines/partition/classified-sink.js';
import { createHistogram, decodeHistogram } from '../primitives/histogram.js';
import { LatencyBinsTimeline } from '../primitives/latency-bins.js';
import { Random } from '../primitives/random.js';
import { SourceLog } from '../primitives/source-log.js';
import { Timeline } from '../primitives/timeline.js';

const steady: OperatorSpec[] = [{ op: 'map', multiply: 3, add: 7, modulo: 1_000_003 }, { op: 'filter', dropMultiplesOf: 4 }, { op: 'keyedCount' }];
const window = { measureStartUs: 5_000, measureEndUs: 400_000 };

function context(): OperatorContext {
  return { keys: 16, cpuIterationsPerUs: 1, counters: { lateDropped: 0 } };
}

/** A one-partition log of `count` seeded records, 25 µs apart from 0. */
function filledLog(count: number): SourceLog {
  const log = SourceLog.create(1, count);
  const random = new Random(21);
  for (let i = 0; i < count; i++) {
    log.eventTime[i] = i * 25;
    log.key[i] = random.below(16);
    log.value[i] = random.below(1_000_000);
  }
  return log;
}

interface Measured {
  sink: MeasuringSink;
  timeline: Timeline;
  bins: LatencyBinsTimeline;
}

function measuringSink(): Measured {
  const timeline = new Timeline(0, 10_000, 50);
  const bins = new LatencyBinsTimeline(0, 10_000, 50);
  return { sink: new MeasuringSink(window, createHistogram(false), createHistogram(false), timeline, bins), timeline, bins };
}

/** What a sink measured, comparable across runs. */
function figures({ sink, timeline, bins }: Measured): unknown {
  const encoded = sink.encode();
  const histogram = (text: string): number[] => {
    const h = decodeHistogram(text);
    return [h.totalCount, h.minNonZeroValue, h.maxValue, h.getValueAtPercentile(50), h.getValueAtPercentile(99)];
  };
  return { digest: { ...sink.digest }, emitted: sink.emitted, inWindow: sink.emittedInWindow, eventTime: histogram(encoded.eventTime), processingTime: histogram(encoded.processingTime), timeline: timeline.toData(), bins: bins.toData() };
}

describe('a measuring sink appended to by generated code', () => {
  const log = filledLog(4000);

  it('is inlined: the generated source appends to its buffer and calls no push', () => {
    const { sink } = measuringSink();
    expect(sink.inlinable).toBe(true);
    const scope = new CodeScope();
    const code = sink.codegen(scope).code({ t: 't', k: 'k', v: 'v' });
    expect(code).toContain('++] = t;');
    expect(code).not.toContain('.push(');
  });

  it.each(['batch', 'continuous'] as const)('%s: holds, digests and measures exactly what push does', (kind) => {
    const runs = [false, true].map((codegen) => {
      const measured = measuringSink();
      const head = codegen ? undefined : buildPipeline(steady, measured.sink, context());
      const compiled = codegen ? compilePipeline(steady, measured.sink, context(), { log, partition: 0 }) : undefined;
      // Read in stretches of 100 records at 1 ms each; emitted at once (continuous) or per batch of 1000 (batch).
      for (let from = 0; from < 4000; from += 100) {
        const readUs = 1000 + from * 25;
        measured.sink.readTimeUs = readUs;
        if (kind === 'continuous') {
          let at = readUs;
          const flushEach = { afterRecord: () => measured.sink.flush((at += 3)) };
          if (compiled) compiled.processStretch(from, from + 100, flushEach);
          else for (let offset = from; offset < from + 100; offset++) {
            head!.push(log.eventTime[offset], log.key[offset], log.value[offset]);
            flushEach.afterRecord();
          }
        } else {
          if (compiled) compiled.processRange(from, from + 100);
          else for (let offset = from; offset < from + 100; offset++) head!.push(log.eventTime[offset], log.key[offset], log.value[offset]);
          if ((from + 100) % 1000 === 0) {
            expect(measured.sink.buffered).toBeGreaterThan(0);
            measured.sink.flush(readUs + 20_000);
          }
        }
      }
      return figures(measured);
    });
    expect(runs[1]).toEqual(runs[0]);
    expect((runs[0] as { emitted: number }).emitted).toBeGreaterThan(2000);
  });

  it('grows its buffer inside a long batch', () => {
    const big = filledLog(1 << 14);
    const [interpretedRun, generatedRun] = [measuringSink(), measuringSink()];
    const head = buildPipeline(steady, interpretedRun.sink, context());
    for (let offset = 0; offset < 1 << 14; offset++) head.push(big.eventTime[offset], big.key[offset], big.value[offset]);
    compilePipeline(steady, generatedRun.sink, context(), { log: big, partition: 0 }).processRange(0, 1 << 14);
    expect(generatedRun.sink.buffered).toBe(interpretedRun.sink.buffered);
    expect(generatedRun.sink.buffered).toBeGreaterThan(1024 * 8);
    interpretedRun.sink.flush(500_000);
    generatedRun.sink.flush(500_000);
    expect(figures(generatedRun)).toEqual(figures(interpretedRun));
  });
});

describe('sinks that are not inlined', () => {
  it('a replay sink (counting in push) and a classified sink are called, and count as they do interpreted', () => {
    const log = filledLog(300);
    const timeline = new Timeline(0, 10_000, 50);
    const sinks = () => ({
      replay: new ReplayingMeasuringSink([40, 100], window, createHistogram(false), createHistogram(false), timeline),
      classified: new ClassifiedSink(window, timeline),
    });
    const [a, b] = [sinks(), sinks()];
    expect(a.replay.inlinable).toBe(false);
    for (const key of ['replay', 'classified'] as const) {
      const head = buildPipeline(steady, a[key], context());
      for (let offset = 0; offset < 300; offset++) head.push(log.eventTime[offset], log.key[offset], log.value[offset]);
      compilePipeline(steady, b[key], context(), { log, partition: 0 }).processRange(0, 300);
      expect(b[key].digest).toEqual(a[key].digest);
      expect(b[key].buffered).toBe(a[key].buffered);
    }
    expect(b.replay.duplicates).toBeGreaterThan(0);
    expect(b.replay.duplicates).toBe(a.replay.duplicates);
  });
});

describe('code scope', () => {
  it('hands out unique names from safe stems, and exact literals of finite numbers only', () => {
    const scope = new CodeScope();
    const names = [scope.bind('counts', 1), scope.local('counts'), scope.bind('9 bad-name', 2), scope.local('x')];
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*\$\d+$/);
    expect(scope.values).toEqual([1, 2]);
    expect(scope.literal(1_000_003)).toBe('1000003');
    expect(scope.literal(-3)).toBe('(-3)');
    expect(scope.literal(-0)).toBe('(-0)');
    expect(scope.literal(0.1)).toBe('0.1');
    expect(() => scope.literal(Number.NaN)).toThrow(/finite/);
    expect(() => scope.literal(Infinity)).toThrow(/finite/);
    expect(() => scope.literal('1; process.exit()' as unknown as number)).toThrow(/finite/);
  });
});

describe(`${CODEGEN_DUMP_ENV}`, () => {
  const dirs: string[] = [];
  afterEach(() => {
    delete process.env[CODEGEN_DUMP_ENV];
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes each generated source once, readable, named after the pipeline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-dump-'));
    dirs.push(dir);
    process.env[CODEGEN_DUMP_ENV] = dir;
    // Constants of its own: a source this process has not compiled before.
    const specs: OperatorSpec[] = [{ op: 'map', multiply: 17, add: Date.now() % 100_000, modulo: 999_331 }, { op: 'tumblingWindow', sizeMs: 5, maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 }, { op: 'keyedSum' }];
    const log = filledLog(10);
    for (let i = 0; i < 2; i++) compilePipeline(specs, measuringSink().sink, context(), { log, partition: 0 });
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^map-tumblingWindow-keyedSum\.head\.[0-9a-f]{10}\.js$/);
    expect(files[1]).toMatch(/^map-tumblingWindow-keyedSum\.tail1\.[0-9a-f]{10}\.js$/);
    const head = readFileSync(join(dir, files[0]), 'utf8');
    expect(head).toContain('function processRange(');
    expect(head).toContain('function processStretch(');
    expect(head).toContain('% 999331');
    expect(head).toContain('"op":"tumblingWindow"');
    expect(() => new Function(`${head}\nreturn factory;`)).not.toThrow();
  });
});
