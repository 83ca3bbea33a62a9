/**
 * One trial's lifecycle: build the source log and the engine, start the generator thread,
 * warm up (excluded from every figure), measure, let the engine drain, stop, and turn what
 * everyone measured into a {@link RunResult}. Runs in a fresh child process by default
 * (see `run-isolated.ts`).
 */
import { Worker } from 'node:worker_threads';
import { modes } from '../engines/index.js';
import type { Engine, EngineReport } from '../engines/engine.js';
import { formatDigest, mergeDigests } from '../engines/partition/measuring-sink.js';
import type { RunResult } from '../primitives/results-schema.js';
import { builtinScenarios } from '../scenarios/index.js';
import { monotonicUs, SystemClock } from '../primitives/clock.js';
import { compiledFile } from '../primitives/compiled-file.js';
import { threadCpuSince, threadCpuUs } from '../primitives/thread-cpu.js';
import { cpuResources } from './cpu-by-role.js';
import { offsetAccounting, partitionShare, sinkFigures } from './downstream-figures.js';
import { faultFigures } from './fault-figures.js';
import { GENERATOR_PACING } from './generator-pacing.js';
import { branchFigures, openTrialSpill, rssAnonBytes, spillFigures, trialPipeline } from './memory-figures.js';
import type { GeneratorThreadInput, GeneratorThreadOutput } from './generator-thread.js';
import { summarizeEncoded } from '../primitives/histogram.js';
import { priorityFigures, priorityTaskSettings, recoveryFigures, taskExtras, trialProfile } from './scenario-figures.js';
import { SourceLog } from '../primitives/source-log.js';
import { gcFigures, mergeGcSamples, observeGcPauses, type GcSample } from '../primitives/gc-pauses.js';
import { mergeTimelines } from '../primitives/timeline.js';
import type { TrialSpec } from './trial-spec.js';
import { createRecordColumns } from '../scenarios/records/record-writer.js';

/** Timeline bucket width. */
export const BUCKET_US = 100_000;
/**
 * Time from the start of a trial to its first scheduled record, for the pool and the
 * generator thread to start. The run clock's origin is that first record's time, so event
 * times (and event-time windows) are the same in every trial: setup happens at negative times.
 */
const LEAD_US = 300_000;
/** How long past its deadline an engine's drain may take to answer before the trial stops waiting for it. */
const DRAIN_GRACE_US = 200_000;
/** Progress of a running trial, for the terminal. */
export interface TrialProgress {
  phase: 'warm-up' | 'measure' | 'drain';
  elapsedSec: number;
  totalSec: number;
  backlog: number;
}

/** Runs one trial in this process. */
export async function runTrial(spec: TrialSpec, onProgress?: (progress: TrialProgress) => void): Promise<RunResult> {
  const scenario = spec.workload ?? builtinScenarios().get(spec.scenario);
  const mode = modes.get(spec.mode);
  if (!scenario || !mode) throw new Error(`unknown scenario '${spec.scenario}' or mode '${spec.mode}'`);

  const clock = new SystemClock(monotonicUs() + LEAD_US);
  const log = SourceLog.create(spec.params.workers, spec.logCapacity);
  const startUs = 0;
  const measureStartUs = startUs + spec.warmupSec * 1e6;
  const measureEndUs = measureStartUs + spec.durationSec * 1e6;
  const buckets = Math.ceil((spec.durationSec + spec.drainTimeoutSec) * 1e6 / BUCKET_US) + 1;
  const fault = spec.fault;
  const killAtUs = fault ? measureStartUs + fault.killAtSec * 1e6 : 0;
  const spill = openTrialSpill(spec);
  const records = scenario.records;
  const recordColumns = records ? Array.from({ length: log.partitions }, () => createRecordColumns(records.query, log.capacity).buffers) : undefined;
  const engine: Engine = mode.create({
    log,
    clock,
    params: spec.params,
    task: {
      buffers: log.buffers,
      originUs: clock.originUs,
      pipeline: trialPipeline(scenario, spec),
      keys: scenario.keys,
      cpuIterationsPerUs: spec.cpuIterationsPerUs,
      measureStartUs,
      measureEndUs,
      bucketUs: BUCKET_US,
      buckets,
      ...taskExtras(scenario, spec),
      ...(spec.sink ? { sink: partitionShare(spec.sink, spec.params.workers) } : {}),
      ...(spec.codegen === false ? { codegen: false } : {}),
      ...(spec.latencyRecording === false ? { recording: false } : {}),
      ...(spill ? { spill: spill.settings } : {}),
      ...(records && recordColumns ? { records: { query: records.query, windowScale: records.windowScale, columns: recordColumns } } : {}),
    },
    ...(fault ? { faults: { partition: fault.partition, killAtUs, ...(fault.failBatchAtSec !== undefined ? { failBatchAtUs: measureStartUs + fault.failBatchAtSec * 1e6 } : {}) } } : {}),
  });

  const result: Partial<RunResult> = {};
  const deadline = setTimeout(() => void abandon(), spec.timeoutSec * 1000);
  let abandoned: ((reason: Error) => void) | undefined;
  const abandonedPromise = new Promise<never>((_, reject) => (abandoned = reject));
  const abandon = async (): Promise<void> => {
    abandoned?.(new TrialTimeout(`trial did not finish within ${spec.timeoutSec} s`));
  };

  const { profile, peak } = trialProfile(scenario, spec);
  const stop = new SharedArrayBuffer(4);
  const backlog: number[] = new Array<number>(buckets).fill(0);
  let peakRss = 0;
  let peakHeap = 0;
  let peakRssAnon: number | undefined;
  let generator: Worker | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const driverGc = observeGcPauses();
  try {
    await Promise.race([engine.start().catch((error: unknown) => Promise.reject(new EngineFailed(`mode '${spec.mode}' failed to start: ${messageOf(error)}`))), abandonedPromise]);
    const cpuBefore = process.cpuUsage();
    const driverCpuBefore = threadCpuUs();
    const input: GeneratorThreadInput = {
      buffers: log.buffers,
      originUs: clock.originUs,
      pacing: GENERATOR_PACING,
      stop,
      plan: {
        profile,
        arrivals: scenario.arrivals,
        seed: spec.seed,
        keys: scenario.keys,
        ...(scenario.keyDistribution ? { keyDistribution: scenario.keyDistribution } : {}),
        valueRange: scenario.valueRange,
        ...(scenario.outOfOrder ? { outOfOrder: scenario.outOfOrder } : {}),
        startUs,
        endUs: measureEndUs,
        measureStartUs,
        bucketUs: BUCKET_US,
        buckets,
        ...(records && recordColumns ? { records: { query: records.query, seed: spec.seed, columns: recordColumns } } : {}),
      },
    };
    const thread = new Worker(compiledFile(import.meta.url, './generator-thread.js'), { workerData: input });
    generator = thread;
    const generated = new Promise<GeneratorThreadOutput>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    const totalSec = spec.warmupSec + spec.durationSec;
    sampler = setInterval(() => {
      const now = clock.now();
      const pending = log.total((p) => log.backlog(p));
      const index = Math.floor((now - measureStartUs) / BUCKET_US);
      if (index >= 0 && index < buckets) backlog[index] = Math.max(backlog[index], pending);
      const memory = process.memoryUsage();
      peakRss = Math.max(peakRss, memory.rss);
      peakHeap = Math.max(peakHeap, memory.heapUsed);
      const anon = rssAnonBytes();
      if (anon !== undefined) peakRssAnon = Math.max(peakRssAnon ?? 0, anon);
      const elapsedSec = (now - startUs) / 1e6;
      const phase = now < measureStartUs ? 'warm-up' : now < measureEndUs ? 'measure' : 'drain';
      onProgress?.({ phase, elapsedSec: Math.max(0, elapsedSec), totalSec, backlog: pending });
    }, BUCKET_US / 1000);

    const source = await Promise.race([generated, abandonedPromise]);
    // The drain deadline holds even for an engine that never answers (a plugin's bug): the run then reports what is unprocessed.
    const drainDeadlineUs = clock.now() + spec.drainTimeoutSec * 1e6;
    const drained = await Promise.race([engine.drain(drainDeadlineUs), atTime(clock, drainDeadlineUs + DRAIN_GRACE_US, false), abandonedPromise]);
    const report = await Promise.race([engine.stop(), abandonedPromise]);
    const cpu = process.cpuUsage(cpuBefore);
    const driverUs = threadCpuSince(driverCpuBefore);
    Object.assign(result, assemble(spec, report, source, log, drained));
    if (records) result.records = { source: records.source, query: records.query, windowScale: records.windowScale };
    result.timeline = {
      input: source.input,
      output: mergeTimelines(report.partitions.map((p) => p.output)),
      backlog,
    };
    const recovery = peak && recoveryFigures(spec, peak, report, result.timeline, BUCKET_US);
    if (recovery) result.recovery = recovery;
    const classes = priorityFigures(priorityTaskSettings(scenario, spec), report);
    if (classes) result.priority = classes;
    const branches = branchFigures(report, spec.durationSec);
    if (branches) result.branches = branches;
    const spilled = spillFigures(spec, report);
    if (spilled) result.spill = spilled;
    if (report.faults) result.faults = faultFigures(killAtUs, report.faults, report.partitions, result.timeline.output, report.faults.delivery === 'at-least-once');
    result.resources = {
      ...cpuResources({ process: cpu, driverUs, generatorUs: source.cpuUs, workersUs: report.partitions.map((p) => p.cpuUs), records: source.offeredTotal }),
      peakRssMb: peakRss / 2 ** 20,
      peakHeapMb: peakHeap / 2 ** 20,
      ...(peakRssAnon !== undefined ? { peakRssAnonMb: peakRssAnon / 2 ** 20 } : {}),
      ...threadFigures(report, source, driverGc.stop(), driverUs),
    };
    return result as RunResult;
  } catch (error) {
    await engine.terminate().catch(() => {});
    throw error;
  } finally {
    clearTimeout(deadline);
    clearInterval(sampler);
    Atomics.store(new Int32Array(stop), 0, 1);
    Atomics.notify(new Int32Array(stop), 0);
    await generator?.terminate();
    spill?.remove();
    driverGc.stop();
  }
}

/** Thrown when a trial outlives its time-out; the run is reported with status 'timeout'. */
export class TrialTimeout extends Error {}

/** Thrown when the engine itself fails (its start threw): the run is reported failed, with this message. */
export class EngineFailed extends Error {}

/** Resolves with `value` once `clock` reaches `atUs` (a timer; no spinning). */
function atTime<T>(clock: SystemClock, atUs: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), Math.max(0, (atUs - clock.now()) / 1000)).unref());
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

function assemble(spec: TrialSpec, report: EngineReport, source: GeneratorThreadOutput, log: SourceLog, drained: boolean): Partial<RunResult> {
  const parts = report.partitions;
  const recordsOut = parts.reduce((sum, p) => sum + p.emittedInWindow, 0);
  let unprocessed = 0;
  for (let p = 0; p < log.partitions; p++) unprocessed += log.end(p) - (parts.find((part) => part.partition === p)?.processed ?? 0);
  return {
    scenario: spec.scenario,
    mode: spec.mode,
    params: spec.params,
    trial: spec.trial,
    seed: spec.seed,
    status: 'ok',
    offeredRate: spec.rate,
    warmupSec: spec.warmupSec,
    durationSec: spec.durationSec,
    recordsOffered: source.offered,
    recordsIn: source.appended,
    recordsOut,
    throughputIn: source.appended / spec.durationSec,
    throughputOut: recordsOut / spec.durationSec,
    sourceDropped: source.dropped,
    lateDropped: parts.reduce((sum, p) => sum + p.lateDropped, 0),
    unprocessed,
    drained: drained && unprocessed === 0,
    latency: {
      eventTime: summarizeEncoded(parts.map((p) => p.eventTime)),
      processingTime: summarizeEncoded(parts.map((p) => p.processingTime)),
    },
    generatorLag: summarizeEncoded([source.lagHistogram]),
    sourceCadenceUs: source.pacing.cadencePumps > 0 ? GENERATOR_PACING.cadenceUs : 0,
    ...(report.batches ? { batches: report.batches } : {}),
    ...(report.epochs !== undefined ? { epochs: report.epochs } : {}),
    outputDigest: formatDigest(mergeDigests(parts.map((p) => p.digest))),
    ...(spec.sink ? { sink: sinkFigures(spec.sink, parts) } : {}),
    ...(spec.sink || spec.fault ? { accounting: offsetAccounting(log, parts) } : {}),
  };
}

/** GC pauses by thread, each task thread's event-loop utilisation, and events per engine CPU second (`Resources`). */
function threadFigures(report: EngineReport, source: GeneratorThreadOutput, driver: GcSample, driverUs: number | undefined): Pick<RunResult['resources'], 'gc' | 'workerElu' | 'eventsPerCoreSec'> {
  const parts = report.partitions;
  const workerSamples = parts.flatMap((p) => (p.gc ? [p.gc] : []));
  const elu = parts.flatMap((p) => (p.elu !== undefined ? [p.elu] : []));
  const processed = parts.reduce((sum, p) => sum + p.processed, 0);
  const workersUs = parts.map((p) => p.cpuUs);
  const engineUs = driverUs === undefined || workersUs.some((us) => us === undefined) ? undefined : driverUs + workersUs.reduce((sum: number, us) => sum + (us ?? 0), 0);
  return {
    gc: { driver: gcFigures(driver), workers: gcFigures(mergeGcSamples(workerSamples)), ...(source.gc ? { generator: gcFigures(source.gc) } : {}) },
    ...(elu.length > 0 ? { workerElu: elu } : {}),
    ...(engineUs !== undefined && engineUs > 0 ? { eventsPerCoreSec: processed / (engineUs / 1e6) } : {}),
  };
}
