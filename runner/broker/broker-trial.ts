/**
 * One trial through a broker, the harness's side. The same trial (`TrialSpec`) as in-process,
 * with the source log and the sink replaced by Redis Streams:
 *
 * 1. the run's streams and consumer groups are created, its spec written and announced;
 * 2. the system under test starts (`serve` for the mode, a `--sut` command, or nobody) and the
 *    generator processes start; the run waits until the system has joined every input's group
 *    and every generator has joined the run;
 * 3. the harness announces the start — the origin, in its monotonic clock and in the broker's
 *    time (`broker-clock.ts`) — and reads every output stream into the measuring sink while the
 *    generators publish, sampling the backlog (each group's lag + pending) every 100 ms;
 * 4. once every generator has reported, it waits (up to `--drain-timeout`) for every output's
 *    end marker, then accounts for every input entry, and removes the run's keys.
 *
 * A system under test that exits early, writes output that breaks the contract, or writes
 * nothing fails the whole command with one line ({@link BrokerRunFailure}); a slow one is
 * measured (unprocessed, not drained) like a slow engine.
 */
import type { RunResult } from '../../primitives/results-schema.js';
import { SystemClock } from '../../primitives/clock.js';
import { builtinScenarios } from '../../scenarios/index.js';
import type { TrialProgress } from '../run-trial.js';
import type { TrialSpec } from '../trial-spec.js';
import { ANNOUNCE_STREAM, GROUP, partitionTag, runKeys, type RunKeys } from './contract.js';
import { Broker } from './broker.js';
import { announceStart, measureOffset } from './broker-clock.js';
import type { BrokerOptions } from './broker-options.js';
import { groupState, pause, type BrokerTrialSpec } from './broker-spec.js';
import { assembleBrokerResult, type TrialObservations } from './broker-result.js';
import type { GeneratorShareReport } from './generate.js';
import { BUCKET_US } from './generate.js';
import { OutputReader } from './output-reader.js';
import { describeSut, startGenerator, startSut, TrialProcess } from './processes.js';
import type { ServeReport } from './serve.js';
import type { BrokerFault } from '../../primitives/broker-figures.js';

/** Thrown when the environment of a broker run fails (broker, system under test, generators): the command ends with one line. */
export class BrokerRunFailure extends Error {}

/** Time from the start announcement to the first scheduled record (generators map the origin, threads start). */
const LEAD_US = 500_000;
/** Longest wait for the system under test to join every input's group (`--sut none`: for the user to start it). */
const READY_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_NONE_MS = 120_000;
/** Operators with at most one result per input: results are then identified by their input's index. */
const ONE_TO_ONE = new Set(['map', 'filter', 'keyedCount', 'keyedSum', 'cpuCost']);

/** A broker run: the broker (a private one for `--target local`) and its trials. */
export class BrokerSession {
  private trials = 0;

  private constructor(readonly broker: Broker, readonly options: BrokerOptions) {}

  static async open(options: BrokerOptions): Promise<BrokerSession> {
    return new BrokerSession(await Broker.open(options.target), options);
  }

  /** What results.json records as the target. */
  get targetLabel(): string {
    return this.options.target.kind === 'local' ? `local ${this.broker.url}` : this.broker.url;
  }

  async close(): Promise<void> {
    await this.broker.close();
  }

  /** Runs one trial through the broker. */
  async runTrial(spec: TrialSpec, onProgress?: (progress: TrialProgress) => void): Promise<RunResult> {
    const run = `${this.options.runId}-${++this.trials}`;
    const partitions = spec.params.workers;
    const generators = this.options.generators;
    const keys = runKeys(run, await this.tags(run, partitions));
    const brokerSpec: BrokerTrialSpec = { run, trial: spec, partitions, generators, streams: keys.streams };
    const commands = this.broker.commands;
    await this.removeKeys(keys);
    for (const streams of keys.streams) await commands.call('XGROUP', 'CREATE', streams.input, GROUP, '0', 'MKSTREAM');
    await commands.call('SET', keys.spec, JSON.stringify(brokerSpec));
    await commands.call('XADD', ANNOUNCE_STREAM, 'MAXLEN', '~', '1000', '*', 'run', run, 'generators', String(generators), 'partitions', String(partitions), 'scenario', spec.scenario, 'mode', spec.mode);

    const failure = new Failure();
    const started: TrialProcess[] = [];
    let reader: OutputReader | undefined;
    let sutExitedEarly: BrokerRunFailure | undefined;
    /** A process that fails (or a system under test that exits before its end markers came) fails the trial. */
    const watch = (process: TrialProcess | undefined, isSut: boolean): TrialProcess | undefined => {
      if (!process) return undefined;
      started.push(process);
      void process.exit.then((exit) => {
        if (process.expected) return;
        const early = new BrokerRunFailure(`${exit.line} before trial ${run} ended`);
        if (exit.code !== 0) failure.fail(early);
        else if (isSut) {
          // Exited cleanly: fine if its end markers follow (they may still be on their way).
          sutExitedEarly = early;
          setTimeout(() => !process.expected && !reader?.ended && failure.fail(early), 2000).unref();
        }
      });
      return process;
    };
    let sut = watch(startSut(this.options.sut, spec, this.broker.url, keys, generators), true);
    if (this.options.sut.kind === 'none') {
      process.stderr.write(`streambench: trial ${run} waits for your system: group '${GROUP}' on ${keys.streams.map((s) => s.input).join(', ')} (e.g. \`streambench serve --target ${this.broker.url} --mode ${spec.mode}\`)\n`);
    }
    for (let share = 0; share < generators; share++) if (!this.options.externalShares.includes(share)) watch(startGenerator(this.broker.url, run, share, generators), false);

    let sampler: NodeJS.Timeout | undefined;
    const cancelTimers: (() => void)[] = [];
    try {
      await failure.race(this.waitForConsumers(keys, this.options.sut.kind === 'none' ? READY_TIMEOUT_NONE_MS : READY_TIMEOUT_MS, describeSut(this.options.sut, spec)));
      await failure.race(this.waitForList(keys.joined, generators, 60, `generators joined trial ${run}`));

      const offset = await measureOffset(async () => (await commands.call('TIME')) as [string, string]);
      const start = announceStart(offset, LEAD_US);
      const clock = new SystemClock(start.originMonotonicUs);
      const measureStartUs = spec.warmupSec * 1e6;
      const measureEndUs = measureStartUs + spec.durationSec * 1e6;
      const buckets = Math.ceil((spec.durationSec + spec.drainTimeoutSec) * 1e6 / BUCKET_US) + 1;
      const scenario = (spec.workload ?? builtinScenarios().get(spec.scenario))!;
      reader = new OutputReader(this.broker, keys.streams, clock, { measureStartUs, measureEndUs, bucketUs: BUCKET_US, buckets, dedupe: scenario.pipeline.every((op) => ONE_TO_ONE.has(op.op)) });
      reader.start();
      for (let share = 0; share < generators; share++) await commands.call('RPUSH', keys.go, JSON.stringify(start));
      await commands.call('SET', keys.started, '1');

      const backlog = new Array<number>(buckets).fill(0);
      let peakRss = 0;
      let peakHeap = 0;
      const cpuBefore = process.cpuUsage();
      const totalSec = spec.warmupSec + spec.durationSec;
      sampler = setInterval(() => {
        void this.backlogNow(keys).then((pending) => {
          const now = clock.now();
          const index = Math.floor((now - measureStartUs) / BUCKET_US);
          if (index >= 0 && index < buckets) backlog[index] = Math.max(backlog[index], pending);
          const phase = now < measureStartUs ? 'warm-up' : now < measureEndUs ? 'measure' : 'drain';
          onProgress?.({ phase, elapsedSec: Math.max(0, now / 1e6), totalSec, backlog: pending });
        }, () => {});
        const memory = process.memoryUsage();
        peakRss = Math.max(peakRss, memory.rss);
        peakHeap = Math.max(peakHeap, memory.heapUsed);
        if (reader?.error) failure.fail(reader.error);
      }, BUCKET_US / 1000);

      const faults: BrokerFault[] = [];
      const marks: number[] = [];
      const inject = (atSec: number | undefined, kind: BrokerFault['kind'], act: () => Promise<void>): void => {
        if (atSec === undefined) return;
        cancelTimers.push(clock.setTimer(measureStartUs + atSec * 1e6, () => {
          const atUs = clock.now();
          void act().then(() => {
            const restartedUs = clock.now();
            marks.push(reader!.mark(restartedUs));
            faults.push({ kind, atUs, restartedUs });
          }, (error: unknown) => failure.fail(new BrokerRunFailure(`${kind} at ${atSec} s failed: ${messageOf(error)}`)));
        }));
      };
      inject(this.options.killSutAtSec, 'kill-sut', async () => {
        await sut?.kill();
        sut = watch(startSut(this.options.sut, spec, this.broker.url, keys, generators), true);
      });
      inject(this.options.restartBrokerAtSec, 'restart-broker', async () => {
        await this.broker.localServer!.restart();
      });

      const shares = (await failure.race(this.waitForList(keys.done, generators, spec.timeoutSec, `generator reports of trial ${run}`))).map((text) => JSON.parse(text) as GeneratorShareReport);
      const drainDeadlineUs = clock.now() + spec.drainTimeoutSec * 1e6;
      while (!reader.ended && clock.now() < drainDeadlineUs) {
        if (reader.error) throw reader.error;
        await failure.race(pause(10));
      }
      if (reader.error) throw reader.error;
      if (!reader.ended && sutExitedEarly && !sut?.expected) throw sutExitedEarly;
      if (reader.received === 0 && shares.some((share) => share.appended > 0)) {
        throw new BrokerRunFailure(`${describeSut(this.options.sut, spec)} wrote nothing to ${keys.streams.map((s) => s.output).join(', ')} within --drain-timeout ${spec.drainTimeoutSec} s of the end of the input (trial ${run})`);
      }
      faults.forEach((fault, i) => {
        const resumed = reader!.firstAfter(marks[i]);
        if (resumed !== undefined) fault.outputResumedUs = resumed;
      });
      clearInterval(sampler);
      sampler = undefined;
      for (const process of started) await process.finish(5000);
      const groups = await Promise.all(keys.streams.map((s) => groupState(commands, s.input)));
      const entries = await Promise.all(keys.streams.map(async (s) => Number(await commands.call('XLEN', s.input))));
      const serveReports = ((await commands.call('LRANGE', keys.report, '0', '-1')) as string[]).map((text) => JSON.parse(text) as ServeReport);
      const observations: TrialObservations = {
        spec: brokerSpec,
        shares,
        outputs: await reader.close(),
        reader,
        groups: groups.map((g) => g ?? { consumers: 0, pending: 0, lastDeliveredId: '0-0', entriesRead: 0, lag: 0 }),
        entries,
        serveReports,
        faults,
        backlog,
        cpu: process.cpuUsage(cpuBefore),
        peakRssMb: peakRss / 2 ** 20,
        peakHeapMb: peakHeap / 2 ** 20,
        target: this.targetLabel,
        cluster: this.broker.cluster,
        sut: describeSut(this.options.sut, spec),
      };
      reader = undefined;
      return assembleBrokerResult(observations);
    } finally {
      for (const cancel of cancelTimers) cancel();
      if (sampler) clearInterval(sampler);
      for (const process of started) {
        process.expected = true;
        await process.finish(0);
      }
      if (reader) await reader.close();
      if (!this.options.keepStreams) await this.removeKeys(keys).catch(() => {});
    }
  }

  /** The hash tag of each partition: `<run>.<p>`; on a cluster, variants that spread the partitions over its masters. */
  private async tags(run: string, partitions: number): Promise<string[]> {
    if (!this.broker.cluster) return Array.from({ length: partitions }, (_, p) => partitionTag(run, p));
    const slots = (await this.broker.commands.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
    const masters = [...new Set(slots.map((range) => range[2][2]))].sort();
    const masterOf = (slot: number): string => slots.find((range) => slot >= range[0] && slot <= range[1])![2][2];
    const tags: string[] = [];
    for (let p = 0; p < partitions; p++) {
      const want = masters[p % masters.length];
      for (let variant = 0; ; variant++) {
        const tag = partitionTag(run, p, variant);
        if (masterOf(Number(await this.broker.commands.call('CLUSTER', 'KEYSLOT', tag))) === want || variant > 200) {
          tags.push(tag);
          break;
        }
      }
    }
    return tags;
  }

  /** Sum over partitions of the group's lag + pending: the backlog (end − acknowledged). */
  private async backlogNow(keys: RunKeys): Promise<number> {
    let total = 0;
    for (const streams of keys.streams) {
      const state = await groupState(this.broker.commands, streams.input);
      if (state) total += state.lag + state.pending;
    }
    return total;
  }

  /** Waits until every input's group has a consumer (the system under test is reading). */
  private async waitForConsumers(keys: RunKeys, timeoutMs: number, who: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(keys.streams.map((s) => groupState(this.broker.commands, s.input)));
      if (states.every((s) => s !== undefined && s.consumers > 0)) return;
      if (Date.now() > deadline) throw new BrokerRunFailure(`${who} did not join group '${GROUP}' on ${keys.streams.map((s) => s.input).join(', ')} within ${timeoutMs / 1000} s`);
      await pause(20);
    }
  }

  /** Pops `count` items of list `key` (blocking, a client of its own), or fails after `timeoutSec`. */
  private async waitForList(key: string, count: number, timeoutSec: number, what: string): Promise<string[]> {
    const client = this.broker.client();
    try {
      const items: string[] = [];
      const deadline = Date.now() + timeoutSec * 1000;
      while (items.length < count) {
        const left = Math.max(0.1, (deadline - Date.now()) / 1000);
        const popped = (await client.call('BLPOP', key, String(Math.min(1, left)))) as [string, string] | null;
        if (popped) items.push(popped[1]);
        else if (Date.now() > deadline) throw new BrokerRunFailure(`timed out after ${timeoutSec} s waiting for ${what} (${items.length} of ${count})`);
      }
      return items;
    } finally {
      this.broker.release(client);
    }
  }

  /** Deletes every key of the run (one by one: on a cluster they live in different slots). */
  private async removeKeys(keys: RunKeys): Promise<void> {
    const all = [keys.spec, keys.joined, keys.go, keys.started, keys.done, keys.report, ...keys.streams.flatMap((s) => [s.input, s.output])];
    for (const key of all) await this.broker.commands.call('DEL', key);
  }
}

/** The first failure of a trial's environment; every wait of the trial races it. */
class Failure {
  private reject!: (error: Error) => void;
  private readonly failed = new Promise<never>((_, reject) => (this.reject = reject));
  error?: Error;

  constructor() {
    this.failed.catch(() => {});
  }

  fail(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.reject(error);
  }

  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.failed]);
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
