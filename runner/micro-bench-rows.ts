/**
 * The rows of `npm run bench:micro` (`micro-bench.ts`): each a function that processes
 * {@link RECORDS} records of the `steady` scenario's pipeline once (or performs that many
 * clock reads, commits or appends) and returns a checksum, so no work can be optimized away.
 * The partition tasks run the real task loop (`runPartitionTask`) over one partition holding
 * every record: the batch kind as one batch, the continuous kind emitting and committing
 * after each record; interpreted (`--codegen off`) or generated, with or without latency
 * recording (`UnrecordedSink`). Every task row reads the same records.
 */
import { MessageChannel } from 'node:worker_threads';
import { runPartitionTask } from '../engines/partition/partition-task.js';
import type { PartitionTaskOutput } from '../engines/partition/task-messages.js';
import { SystemClock } from '../primitives/clock.js';
import { SourceLog } from '../primitives/source-log.js';
import { builtinScenarios } from '../scenarios/index.js';
import { GENERATOR_PACING } from './generator-pacing.js';
import { LoadGenerator } from './load-generator.js';

/** Records per timed iteration of every row. */
export const RECORDS = 1 << 18;

const steady = builtinScenarios().get('steady')!;

/** One row: its name and one iteration (returns a checksum of the work). */
export interface MicroBenchRow {
  name: string;
  /** Records one iteration processes, when not {@link RECORDS}. */
  records?: number;
  /** Builds the row's inputs (outside the timing) and returns one iteration. */
  setup(): () => number;
}

/** A one-partition log of RECORDS records of the steady scenario (event times 0.1 µs apart). */
function filledLog(): SourceLog {
  const log = SourceLog.create(1, RECORDS);
  for (let i = 0; i < RECORDS; i++) {
    const slot = log.slot(0, i);
    log.eventTime[slot] = i * 0.1;
    log.key[slot] = i % steady.keys;
    log.value[slot] = (i * 7919) % steady.valueRange;
  }
  return log;
}

/** A log over the same record columns with fresh offsets (setup kept out of the timing). */
function rewound(filled: SourceLog): SourceLog {
  return new SourceLog({ ...filled.buffers, control: new SharedArrayBuffer(filled.buffers.control.byteLength) });
}

/** How a task row runs. */
interface TaskRowOptions {
  kind: 'batch' | 'continuous';
  codegen: boolean;
  /** Whether the sink records latency (histograms, timeline); false = the task's `recording: false` (`UnrecordedSink`). */
  recording: boolean;
}

/** One run of a partition task over every record of `filled`, to the end of its input. */
function partitionTaskOnce(filled: SourceLog, { kind, codegen, recording }: TaskRowOptions): PartitionTaskOutput {
  const log = rewound(filled);
  log.publish(0, RECORDS);
  log.markFinished(0);
  if (kind === 'batch') log.sendCommand(0, 1, RECORDS);
  log.requestStop(0);
  const channel = new MessageChannel();
  const clock = new SystemClock();
  const output = runPartitionTask(
    {
      partition: 0,
      kind,
      buffers: log.buffers,
      originUs: clock.originUs,
      pipeline: steady.pipeline,
      keys: steady.keys,
      cpuIterationsPerUs: 100,
      flushTimeoutUs: 0,
      measureStartUs: -1e12,
      measureEndUs: 1e12,
      bucketUs: 100_000,
      buckets: 10,
      port: channel.port2,
      codegen,
      ...(recording ? {} : { recording: false }),
    },
    clock,
  );
  channel.port1.close();
  if (output.processed !== RECORDS) throw new Error(`the ${kind} task processed ${output.processed} of ${RECORDS} records`);
  return output;
}

/** A task row: the checksum is the task's output digest (the same in every task row). */
function taskRow(name: string, options: TaskRowOptions): MicroBenchRow {
  return {
    name,
    setup() {
      const filled = filledLog();
      return () => partitionTaskOnce(filled, options).digest.sumA;
    },
  };
}

/** The floor: map + filter + keyed count fused by hand over the log's columns. */
const fusedLoop: MicroBenchRow = {
  name: 'fused map+filter+count loop',
  setup() {
    const log = filledLog();
    return () => {
      const counts = new Int32Array(steady.keys);
      let checksum = 0;
      for (let i = 0; i < RECORDS; i++) {
        const value = (log.value[i] * 3 + 7) % 1_000_003;
        if (value % 4 !== 0) checksum += ++counts[log.key[i]];
      }
      return checksum;
    };
  },
};

/** The clock read the continuous task does per output record (at emit). */
const clockRead: MicroBenchRow = {
  name: 'clock read (SystemClock.now)',
  setup() {
    const clock = new SystemClock();
    return () => {
      let sum = 0;
      for (let i = 0; i < RECORDS; i++) sum += clock.now();
      return sum;
    };
  },
};

/** The commit the continuous task does per record: the committed offset, an `Atomics.store`. */
const commitStore: MicroBenchRow = {
  name: 'commit (Atomics.store)',
  setup() {
    const log = SourceLog.create(1, 1024);
    return () => {
      for (let i = 0; i < RECORDS; i++) log.commit(0, i);
      return log.committed(0);
    };
  },
};

/** Records of the per-record pacing row (a pump per record costs far more than an append). */
const PER_RECORD_RECORDS = 1 << 12;

/**
 * The load generator offering `rate` records/s to two partitions, pumped every `pumpEveryUs`
 * of simulated time, its consumer committing everything after each pump.
 */
function generatorRow(name: string, rate: number, pumpEveryUs: number, records: number): MicroBenchRow {
  return {
    name,
    ...(records !== RECORDS ? { records } : {}),
    setup() {
      const generatorLog = SourceLog.create(2, RECORDS);
      return () => {
        const log = rewound(generatorLog);
        const generator = new LoadGenerator(log, {
          profile: { kind: 'constant', rate },
          arrivals: 'uniform',
          seed: 1,
          keys: steady.keys,
          valueRange: steady.valueRange,
          startUs: 0,
          endUs: (records / rate) * 1e6,
          measureStartUs: 0,
          bucketUs: 100_000,
          buckets: 10,
        });
        for (let now = 0; !generator.done; now += pumpEveryUs) {
          generator.pump(now);
          for (let p = 0; p < 2; p++) log.commit(p, log.end(p));
        }
        generator.finish().lagHistogram.destroy();
        return log.end(0) + log.end(1);
      };
    },
  };
}

/** Every row, in display order. */
export const microBenchRows: readonly MicroBenchRow[] = [
  fusedLoop,
  taskRow('batch partition task', { kind: 'batch', codegen: false, recording: true }),
  taskRow('batch partition task (codegen)', { kind: 'batch', codegen: true, recording: true }),
  taskRow('batch partition task (codegen, no latency recording)', { kind: 'batch', codegen: true, recording: false }),
  taskRow('continuous partition task', { kind: 'continuous', codegen: false, recording: true }),
  taskRow('continuous partition task (codegen)', { kind: 'continuous', codegen: true, recording: true }),
  taskRow('continuous partition task (codegen, no latency recording)', { kind: 'continuous', codegen: true, recording: false }),
  clockRead,
  commitStore,
  // 20M records/s published every 100 µs (the pacing cadence): the generator's cost per record at the default overload's order of rate.
  generatorRow('load generator append', 20e6, GENERATOR_PACING.cadenceUs, RECORDS),
  // 1k records/s, each published at its own time: what the pump costs when it moves one record.
  generatorRow('load generator, pump per record (1k/s pacing)', 1000, 1000, PER_RECORD_RECORDS),
];
