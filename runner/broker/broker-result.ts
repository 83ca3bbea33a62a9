/**
 * A trial through the broker as a {@link RunResult}: the same fields as an in-process trial
 * (records in and out, throughput, event-time latency, the generators' lag, timelines, the
 * digest), from what the harness's reader measured, what each generator reported (histograms
 * merged, counts added) and what the broker holds at the end (consumer groups), plus `broker`.
 */
import { formatDigest, mergeDigests } from '../../engines/partition/measuring-sink.js';
import type { BrokerFigures } from '../../primitives/broker-figures.js';
import { summarizeEncoded } from '../../primitives/histogram.js';
import type { RunResult } from '../../primitives/results-schema.js';
import { mergeTimelines } from '../../primitives/timeline.js';
import type { BrokerFault } from '../../primitives/broker-figures.js';
import type { BrokerTrialSpec, GroupState } from './broker-spec.js';
import type { GeneratorShareReport } from './generate.js';
import type { OutputMeasurement, OutputReader } from './output-reader.js';
import type { ServeReport } from './serve.js';

/** Everything a broker trial observed. */
export interface TrialObservations {
  spec: BrokerTrialSpec;
  shares: GeneratorShareReport[];
  outputs: OutputMeasurement[];
  reader: Pick<OutputReader, 'duplicates' | 'received' | 'deliveredDigest' | 'ended'>;
  groups: GroupState[];
  /** XLEN of each input stream at the end. */
  entries: number[];
  serveReports: ServeReport[];
  faults: BrokerFault[];
  backlog: number[];
  cpu: NodeJS.CpuUsage;
  peakRssMb: number;
  peakHeapMb: number;
  target: string;
  cluster: boolean;
  sut: string;
}

export function assembleBrokerResult(o: TrialObservations): RunResult {
  const trial = o.spec.trial;
  const sum = <T>(items: readonly T[], pick: (item: T) => number): number => items.reduce((total, item) => total + pick(item), 0);
  const recordsOut = sum(o.outputs, (p) => p.emittedInWindow);
  const recordsIn = sum(o.shares, (s) => s.appended);
  const pending = sum(o.groups, (g) => g.pending);
  const undelivered = sum(o.groups, (g) => g.lag);
  const entries = sum(o.entries, (n) => n);
  const acknowledged = sum(o.groups, (g) => g.entriesRead) - pending;
  const unprocessed = pending + undelivered;
  const appended = sum(o.shares, (s) => sum(s.perPartition, (n) => n));
  const worstClock = o.shares.reduce<BrokerFigures['clock']>((worst, s) => (s.clock.errorUs >= worst.errorUs ? { via: s.clock.via, errorUs: s.clock.errorUs } : worst), { via: 'monotonic', errorUs: 0 });
  const served = o.serveReports[o.serveReports.length - 1];
  const processing = o.serveReports.map((r) => r.processingTime);
  const broker: BrokerFigures = {
    target: o.target,
    cluster: o.cluster,
    run: o.spec.run,
    sut: o.sut,
    generators: o.spec.generators,
    clock: worstClock,
    accounting: {
      appended,
      entries,
      acknowledged,
      pending,
      undelivered,
      results: sum(o.outputs, (p) => p.digest.count),
      ...(o.reader.duplicates > 0 || o.outputs.length > 0 ? { duplicates: o.reader.duplicates } : {}),
      delivered: o.reader.received,
      deliveredDigest: formatDigest(o.reader.deliveredDigest),
      ...(o.serveReports.length > 0
        ? {
            redelivered: sum(o.serveReports, (r) => r.redelivered),
            replayed: sum(o.serveReports, (r) => r.replayed),
            inputDuplicates: sum(o.serveReports, (r) => r.inputDuplicates),
          }
        : {}),
      allAcknowledged: pending === 0 && undelivered === 0,
    },
    ...(o.faults.length > 0 ? { faults: o.faults } : {}),
    ...(served ? { engineDigest: served.engineDigest } : {}),
  };
  return {
    scenario: trial.scenario,
    mode: trial.mode,
    params: trial.params,
    trial: trial.trial,
    seed: trial.seed,
    status: 'ok',
    offeredRate: trial.rate,
    warmupSec: trial.warmupSec,
    durationSec: trial.durationSec,
    recordsOffered: sum(o.shares, (s) => s.offered),
    recordsIn,
    recordsOut,
    throughputIn: recordsIn / trial.durationSec,
    throughputOut: recordsOut / trial.durationSec,
    sourceDropped: sum(o.shares, (s) => s.dropped),
    lateDropped: served?.lateDropped ?? 0,
    unprocessed,
    drained: o.reader.ended && unprocessed === 0,
    latency: {
      eventTime: summarizeEncoded(o.outputs.map((p) => p.eventTime)),
      processingTime: summarizeEncoded(processing),
    },
    generatorLag: summarizeEncoded(o.shares.map((s) => s.publishLag)),
    // The engine's own breakdown, from serve (its clock; the last serve's, after a restart).
    ...(served?.batches ? { batches: served.batches } : {}),
    ...(served?.epochs !== undefined ? { epochs: served.epochs } : {}),
    timeline: {
      input: mergeTimelines(o.shares.map((s) => s.input)),
      output: mergeTimelines(o.outputs.map((p) => p.timeline)),
      backlog: o.backlog,
    },
    resources: {
      cpuUserMs: o.cpu.user / 1000,
      cpuSystemMs: o.cpu.system / 1000,
      cpuUsPerRecord: recordsIn > 0 ? (o.cpu.user + o.cpu.system + sum(o.shares, (s) => s.cpuMs) * 1000) / sum(o.shares, (s) => s.offeredTotal) : 0,
      peakRssMb: o.peakRssMb,
      peakHeapMb: o.peakHeapMb,
    },
    outputDigest: formatDigest(mergeDigests(o.outputs.map((p) => p.digest))),
    broker,
  };
}
