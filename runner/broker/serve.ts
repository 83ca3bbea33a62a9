/**
 * `streambench serve`: any mode (built-in or plugin) as a process of its own behind the broker.
 * A bridge per partition (`bridge-partition.ts`) consumes the input stream with the consumer
 * group into a local source log, the mode's engine runs on that log exactly as in-process, and
 * its emitted results go back to the output stream with the input's event time.
 *
 * How results leave the engine without changing it: built-in engines run the scenario's
 * pipeline wrapped as `[tapInput, …pipeline, tapOutput]` (`engines/output-tap.ts`), whose tail
 * copies every result with its input offset into a shared-memory ring; engines of one's own
 * (`openPartitions`) are seen through the context's `outputTap` hook. A result is written once
 * the engine has committed its input (the engines commit right after they emit), together with
 * the acknowledgement of that input. At the end `serve` checks that what it wrote is what the
 * engine emitted (the engine's own digest against the tapped results') and reports its engine's
 * processing-time latency to the harness.
 */
import { modes } from '../../engines/index.js';
import type { Engine } from '../../engines/engine.js';
import { OutputTapRing, tappedPipeline, type OutputTap } from '../../engines/output-tap.js';
import type { OperatorSpec } from '../../engines/operators/pipeline.js';
import { formatDigest, MeasuringSink, mergeDigests } from '../../engines/partition/measuring-sink.js';
import { SystemClock } from '../../primitives/clock.js';
import { createHistogram, summarizeEncoded } from '../../primitives/histogram.js';
import { SourceLog } from '../../primitives/source-log.js';
import { Timeline } from '../../primitives/timeline.js';
import type { BatchFigures, RunParams } from '../../primitives/results-schema.js';
import { builtinScenarios } from '../../scenarios/index.js';
import { partitionShare } from '../downstream-figures.js';
import { modeModuleOf } from '../mode-plugins.js';
import { GROUP } from './contract.js';
import { reconnects, type Broker } from './broker.js';
import { announcements, keysOf, readSpec, type BrokerTrialSpec } from './broker-spec.js';
import { BridgeFailure, BridgePartition } from './bridge-partition.js';

/** What `serve` tells the harness about its trial (pushed to the run's `report` list). */
export interface ServeReport {
  consumer: string;
  mode: string;
  /** The engine's own processing-time latency (emit − when it first read the record), histogram. */
  processingTime: string;
  /** The digest of everything the engine emitted, and of everything the bridge took from it. */
  engineDigest: string;
  tapDigest: string;
  drained: boolean;
  replayed: number;
  redelivered: number;
  inputDuplicates: number;
  written: number;
  /** From the engine, measured on serve's own clock: records a window dropped as too late, batch figures, epochs. */
  lateDropped: number;
  batches?: BatchFigures;
  epochs?: number;
}

/** Settings of one `serve`. */
export interface ServeSettings {
  mode: string;
  /** Parameters when the trial was planned for another mode (`--sut none`): the mode's own from `serve`'s flags. */
  params?: RunParams;
  consumer?: string;
  log?: (line: string) => void;
}

/** Serves every trial announced on the broker, one after another, until stopped. */
export async function serveAnnounced(broker: Broker, settings: ServeSettings, stopped: () => boolean = () => false): Promise<void> {
  const client = broker.client();
  for await (const announced of announcements(client, stopped)) {
    settings.log?.(`serve: trial ${announced.run}`);
    await serveRun(broker, announced.run, settings);
  }
  broker.release(client);
}

/** Serves one trial: runs the mode on the run's input until it ends, writes its results, reports. */
export async function serveRun(broker: Broker, run: string, settings: ServeSettings): Promise<ServeReport> {
  const commands = broker.commands;
  const spec = await readSpec(commands, run);
  if (!spec) throw new BridgeFailure(`no trial '${run}' on the broker at ${broker.url} (its spec key is missing)`);
  const mode = modes.get(settings.mode);
  if (!mode) throw new BridgeFailure(`unknown mode '${settings.mode}'; accepted: ${modes.all().map((m) => m.id).join(', ')}`);
  const consumer = settings.consumer ?? `serve-${process.pid}`;
  const { engine, log, clock, ring, held } = buildEngine(spec, settings);
  const digestSink = new MeasuringSink({ measureStartUs: Infinity, measureEndUs: Infinity }, createHistogram(false), createHistogram(false), new Timeline(0, 1, 1));
  const parts = spec.streams.map((streams, p) => new BridgePartition(p, streams, log, spec.generators, consumer, (key, value) => {
    digestSink.push(0, key, value);
    digestSink.discardHeld();
  }));
  let stop = false;
  const readers = parts.map(() => broker.client());
  try {
    await engine.start();
    for (const part of parts) await part.recover(commands);
    // Ready: the harness starts the source once this consumer exists in every input's group.
    for (const part of parts) await commands.call('XGROUP', 'CREATECONSUMER', part.streams.input, GROUP, consumer);
    const intakes = parts.map((part, p) => part.intake(readers[p], () => stop, reconnects(readers[p])));
    let outputDone = false;
    const output = pumpOutput(parts, ring, held, commands, () => outputDone);
    const failed = new Promise<never>((_, reject) => {
      for (const intake of intakes) intake.catch(reject);
      output.catch(reject);
    });
    await Promise.race([Promise.all(intakes), failed]);
    const drained = await Promise.race([engine.drain(clock.now() + spec.trial.drainTimeoutSec * 1e6), failed]);
    const report = await engine.stop();
    outputDone = true;
    await output;
    for (const part of parts) {
      ring?.drain(part.partition, (t, k, v, at) => part.take(t, k, v, at));
      held?.release(part);
      await part.publish(commands, ring !== undefined, true);
    }
    const engineDigest = formatDigest(mergeDigests(report.partitions.map((p) => p.digest)));
    const tapDigest = formatDigest(digestSink.digest);
    for (const part of parts) await part.settle();
    const sum = (pick: (part: BridgePartition) => number): number => parts.reduce((total, part) => total + pick(part), 0);
    const served: ServeReport = {
      consumer,
      mode: mode.id,
      processingTime: summarizeEncoded(report.partitions.map((p) => p.processingTime)).histogram,
      engineDigest,
      tapDigest,
      drained,
      replayed: sum((part) => part.counters.replayed),
      redelivered: sum((part) => part.counters.redelivered),
      inputDuplicates: sum((part) => part.counters.inputDuplicates),
      written: sum((part) => part.counters.written),
      lateDropped: report.partitions.reduce((total, p) => total + p.lateDropped, 0),
      ...(report.batches ? { batches: report.batches } : {}),
      ...(report.epochs !== undefined ? { epochs: report.epochs } : {}),
    };
    await commands.call('RPUSH', keysOf(spec).report, JSON.stringify(served));
    // The report goes first: a harness that sees the end markers finds it there.
    for (const part of parts) await part.end(commands);
    if (engineDigest !== tapDigest) throw new BridgeFailure(`the results taken from mode '${mode.id}' (${tapDigest}) differ from what its engine emitted (${engineDigest})`);
    return served;
  } catch (error) {
    await engine.terminate().catch(() => {});
    throw error;
  } finally {
    stop = true;
    for (const client of readers) broker.release(client);
  }
}

/** The engine of the trial on a local source log, with its output tapped. */
function buildEngine(spec: BrokerTrialSpec, settings: ServeSettings): { engine: Engine; log: SourceLog; clock: SystemClock; ring?: OutputTapRing; held?: HeldOutputs } {
  const trial = spec.trial;
  const scenario = trial.workload ?? builtinScenarios().get(trial.scenario);
  if (!scenario) throw new BridgeFailure(`unknown scenario '${trial.scenario}' in trial ${spec.run}`);
  const mode = modes.get(settings.mode)!;
  const params: RunParams = { ...(trial.mode === mode.id ? trial.params : (settings.params ?? { workers: spec.partitions })), workers: spec.partitions };
  const log = SourceLog.create(spec.partitions, trial.logCapacity);
  const clock = new SystemClock();
  const builtIn = modeModuleOf(mode.id) === undefined;
  const ring = builtIn ? OutputTapRing.create(spec.partitions) : undefined;
  const held = builtIn ? undefined : new HeldOutputs(log);
  const measureStartUs = trial.warmupSec * 1e6;
  const engine = mode.create({
    log,
    clock,
    params,
    task: {
      buffers: log.buffers,
      originUs: clock.originUs,
      pipeline: ring ? (tappedPipeline(scenario.pipeline, ring) as OperatorSpec[]) : scenario.pipeline,
      keys: scenario.keys,
      cpuIterationsPerUs: trial.cpuIterationsPerUs,
      measureStartUs,
      measureEndUs: measureStartUs + trial.durationSec * 1e6,
      bucketUs: 100_000,
      buckets: 1,
      ...(trial.sink ? { sink: partitionShare(trial.sink, spec.partitions) } : {}),
    },
    ...(held ? { outputTap: held } : {}),
  });
  return { engine, log, clock, ring, held };
}

/**
 * Moves the engine's results to the output streams while the trial runs: wakes on a tap write
 * (or an emission of an engine of one's own), publishes what is committed, and while results
 * wait for their commit polls again on the next turn of the event loop (then every millisecond).
 */
async function pumpOutput(parts: BridgePartition[], ring: OutputTapRing | undefined, held: HeldOutputs | undefined, commands: Broker['commands'], done: () => boolean): Promise<void> {
  let spins = 0;
  while (!done()) {
    const sequence = ring?.sequence ?? 0;
    for (const part of parts) {
      ring?.drain(part.partition, (t, k, v, at) => part.take(t, k, v, at));
      held?.release(part);
      await part.publish(commands, ring !== undefined);
    }
    if (parts.some((part) => part.waiting)) {
      spins++;
      await new Promise((resolve) => (spins < 100 ? setImmediate(resolve) : setTimeout(resolve, 1)));
    } else {
      spins = 0;
      if (ring) await ring.waitForWrite(sequence, 5);
      else await held!.waitForEmit(5);
    }
  }
}

/** The output tap of an engine of one's own: results held per partition until their `emit()`. */
class HeldOutputs implements OutputTap {
  private readonly held: { t: number; k: number; v: number }[][];
  private readonly released: { t: number; k: number; v: number; at: number }[][];
  private wake?: () => void;

  constructor(private readonly log: SourceLog) {
    this.held = Array.from({ length: log.partitions }, () => []);
    this.released = Array.from({ length: log.partitions }, () => []);
  }

  output(partition: number, t: number, k: number, v: number): void {
    this.held[partition].push({ t, k, v });
  }

  emit(partition: number): void {
    const at = Math.max(0, this.log.committed(partition) - 1);
    for (const r of this.held[partition]) this.released[partition].push({ ...r, at });
    this.held[partition] = [];
    this.wake?.();
  }

  /** Hands the emitted results of `part`'s partition to it. */
  release(part: BridgePartition): void {
    const released = this.released[part.partition];
    for (const r of released) part.take(r.t, r.k, r.v, r.at);
    released.length = 0;
  }

  waitForEmit(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
