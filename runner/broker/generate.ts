/**
 * One generator process of a broker run (`streambench generate`, started by the harness per
 * trial or by hand on another host): share `i` of `N` of the trial's schedule. The open-loop
 * generator thread of in-process runs (`generator-thread.ts`, the same pacing, seed and
 * records) appends its share's records to a local source log at their scheduled times; this
 * process's main thread publishes each partition's new records to its input stream, many
 * XADDs per round trip (one script call per partition per wake-up), and never waits for the
 * system under test. Its lag — when a record's XADD was sent − its event time (the scheduled
 * time) — is the run's generator lag ("publish delay"). All generators start together: each
 * announces itself (`joined`), then waits for the harness's start (`go`), whose origin it maps
 * onto its own clock (`broker-clock.ts`).
 */
import { Worker } from 'node:worker_threads';
import { SystemClock } from '../../primitives/clock.js';
import { compiledFile } from '../../primitives/compiled-file.js';
import { createHistogram, encodeHistogram, RunLengthRecorder } from '../../primitives/histogram.js';
import { SourceLog } from '../../primitives/source-log.js';
import type { TimelineData } from '../../primitives/timeline.js';
import { builtinScenarios } from '../../scenarios/index.js';
import type { PacingSettings } from '../generator-pacing.js';
import type { GeneratorThreadInput, GeneratorThreadOutput } from '../generator-thread.js';
import { trialProfile } from '../scenario-figures.js';
import type { Broker } from './broker.js';
import { bootId, localOrigin, measureOffset, type LocalOrigin, type StartAnnouncement } from './broker-clock.js';
import { announcements, keysOf, readSpec } from './broker-spec.js';

/** What a generator reports when its share is published (the run's `done` list). */
export interface GeneratorShareReport {
  share: number;
  offered: number;
  appended: number;
  offeredTotal: number;
  dropped: number;
  /** Records this share appended to each partition (its end marker's count). */
  perPartition: number[];
  /** Send time of each record's XADD − its event time (measurement window), HdrHistogram base64. */
  publishLag: string;
  input: TimelineData;
  clock: Pick<LocalOrigin, 'via' | 'errorUs'>;
  cpuMs: number;
}

/** Timeline bucket width: 100 ms, as in-process trials (`run-trial.ts`). */
export const BUCKET_US = 100_000;
/**
 * The generator thread sleeps until a record is due, never spinning (on a small machine a
 * spinning thread takes a core from the broker and the system under test): each record at its
 * own time up to 5000 records/s; above, it publishes what is due once per 200 µs, so its lag
 * grows by up to that much.
 */
const PACING: PacingSettings = { perRecordMaxRate: 5000, spinUs: 0, cadenceUs: 200 };
/** Records per XADD script call (one round trip). */
const RECORDS_PER_CALL = 2000;
/** Calls sent and not yet answered, at most; the local log holds what waits behind them. */
const MAX_IN_FLIGHT = 2;
/** The local log of a generator only bridges to the broker: it need not be as large as a run's retention. */
const MAX_LOCAL_LOG = 1 << 20;
/** Longest wait for the harness's start after joining. */
const START_TIMEOUT_SEC = 120;

/** Publishes share `share` of `run`'s schedule; resolves with the report it also pushed to the broker. */
export async function generateShare(broker: Broker, run: string, share: number, count?: number): Promise<GeneratorShareReport> {
  const commands = broker.commands;
  const spec = await readSpec(commands, run);
  if (!spec) throw new Error(`no trial '${run}' on the broker at ${broker.url} (its spec key is missing)`);
  if (count !== undefined && count !== spec.generators) throw new Error(`--share ${share}/${count}: trial ${run} has ${spec.generators} generators`);
  if (share < 0 || share >= spec.generators) throw new Error(`--share ${share}: trial ${run} has shares 0..${spec.generators - 1}`);
  const keys = keysOf(spec);
  const trial = spec.trial;
  const scenario = trial.workload ?? builtinScenarios().get(trial.scenario);
  if (!scenario) throw new Error(`unknown scenario '${trial.scenario}' in trial ${run}`);

  const offset = await measureOffset(async () => (await commands.call('TIME')) as [string, string]);
  await commands.call('RPUSH', keys.joined, String(share));
  const waiter = broker.client();
  const go = (await waiter.call('BLPOP', keys.go, String(START_TIMEOUT_SEC))) as [string, string] | null;
  broker.release(waiter);
  if (!go) throw new Error(`trial ${run}: no start from the harness within ${START_TIMEOUT_SEC} s`);
  const origin = localOrigin(JSON.parse(go[1]) as StartAnnouncement, bootId(), offset);
  const clock = new SystemClock(origin.originUs);

  const partitions = spec.partitions;
  const log = SourceLog.create(partitions, Math.min(trial.logCapacity, MAX_LOCAL_LOG));
  const recordIndex = new SharedArrayBuffer(partitions * log.capacity * 8);
  const indexes = new Float64Array(recordIndex);
  const measureStartUs = trial.warmupSec * 1e6;
  const buckets = Math.ceil((trial.durationSec + trial.drainTimeoutSec) * 1e6 / BUCKET_US) + 1;
  const input: GeneratorThreadInput = {
    buffers: log.buffers,
    originUs: origin.originUs,
    pacing: PACING,
    stop: new SharedArrayBuffer(4),
    plan: {
      profile: trialProfile(scenario, trial).profile,
      arrivals: scenario.arrivals,
      seed: trial.seed,
      keys: scenario.keys,
      valueRange: scenario.valueRange,
      ...(scenario.outOfOrder ? { outOfOrder: scenario.outOfOrder } : {}),
      startUs: 0,
      endUs: measureStartUs + trial.durationSec * 1e6,
      measureStartUs,
      bucketUs: BUCKET_US,
      buckets,
      share: { index: share, count: spec.generators },
      recordIndex,
    },
  };
  const cpuBefore = process.cpuUsage();
  const thread = new Worker(compiledFile(import.meta.url, '../generator-thread.js'), { workerData: input });
  let output: GeneratorThreadOutput | undefined;
  let threadError: Error | undefined;
  thread.once('message', (message: GeneratorThreadOutput) => (output = message));
  thread.once('error', (error) => (threadError = error));

  const lagHistogram = createHistogram();
  const lag = new RunLengthRecorder(lagHistogram);
  const published = new Array<number>(partitions).fill(0);
  const inflight: Promise<unknown>[] = [];
  try {
    for (;;) {
      if (threadError) throw threadError;
      const finished = output !== undefined;
      const sentUs = clock.now();
      let sent = 0;
      for (let p = 0; p < partitions; p++) {
        const end = log.end(p);
        while (published[p] < end) {
          const to = Math.min(end, published[p] + RECORDS_PER_CALL);
          const args: string[] = [];
          for (let offset = published[p]; offset < to; offset++) {
            const slot = log.slot(p, offset);
            const t = log.eventTime[slot];
            args.push(String(t), String(log.key[slot]), String(log.value[slot]), String(indexes[slot]));
            if (t >= measureStartUs) lag.record(sentUs - t);
          }
          const partition = p;
          inflight.push(commands.xaddRecords(keys.streams[p].input, ...args).then(() => log.commit(partition, to)));
          sent += to - published[p];
          published[p] = to;
          while (inflight.length > MAX_IN_FLIGHT) await inflight.shift();
        }
      }
      if (finished && published.every((n, p) => n === log.end(p))) break;
      if (sent === 0) await log.waitForAnyAppend(published, 20);
    }
    while (inflight.length > 0) await inflight.shift();
    const done = output!;
    for (let p = 0; p < partitions; p++) await commands.call('XADD', keys.streams[p].input, '*', 'end', String(done.ends[p]), 'g', String(share));
    lag.flush();
    const cpu = process.cpuUsage(cpuBefore);
    const report: GeneratorShareReport = {
      share,
      offered: done.offered,
      appended: done.appended,
      offeredTotal: done.offeredTotal,
      dropped: done.dropped,
      perPartition: done.ends,
      publishLag: encodeHistogram(lagHistogram),
      input: done.input,
      clock: { via: origin.via, errorUs: origin.errorUs },
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    await commands.call('RPUSH', keys.done, JSON.stringify(report));
    return report;
  } finally {
    lagHistogram.destroy();
    await thread.terminate();
  }
}

/** Publishes share `share` of every trial announced on the broker whose generators number `count`, until stopped. */
export async function generateAnnounced(broker: Broker, share: number, count: number, stopped: () => boolean = () => false, log?: (line: string) => void): Promise<void> {
  const client = broker.client();
  for await (const announced of announcements(client, stopped)) {
    if (Number(announced.generators) !== count) continue;
    log?.(`generate: share ${share}/${count} of trial ${announced.run}`);
    await generateShare(broker, announced.run, share, count);
  }
  broker.release(client);
}
