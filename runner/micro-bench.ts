/**
 * `npm run bench:micro`: per-record costs of the hot paths on one thread, measured with
 * tinybench in one process so their ratios are comparable: the fused single-thread loop
 * (the floor), a batch-mode partition task, a continuous-mode partition task (per-record
 * emit), and the load generator: its append at 20M records/s published every 100 µs (the
 * pacing cadence), and a pump per record as at 1k records/s.
 */
import { MessageChannel } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { runPartitionTask } from '../engines/partition/partition-task.js';
import { builtinScenarios } from '../scenarios/index.js';
import { SystemClock } from '../primitives/clock.js';
import { LoadGenerator } from './load-generator.js';
import { GENERATOR_PACING } from './run-trial.js';
import { SourceLog } from '../primitives/source-log.js';

const steady = builtinScenarios().get('steady')!;

const RECORDS = 1 << 18;

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

const filled = filledLog();
const generatorLog = SourceLog.create(2, RECORDS);

function partitionTaskOnce(kind: 'batch' | 'continuous'): void {
  const log = rewound(filled);
  log.publish(0, RECORDS);
  log.markFinished(0);
  if (kind === 'batch') log.sendCommand(0, 1, RECORDS);
  log.requestStop(0);
  const channel = new MessageChannel();
  const clock = new SystemClock();
  runPartitionTask(
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
    },
    clock,
  );
  channel.port1.close();
}

function fusedLoopOnce(log: SourceLog): number {
  const counts = new Int32Array(steady.keys);
  let checksum = 0;
  for (let i = 0; i < RECORDS; i++) {
    const value = (log.value[i] * 3 + 7) % 1_000_003;
    if (value % 4 !== 0) checksum += ++counts[log.key[i]];
  }
  return checksum;
}

/**
 * The generator offering `rate` records/s, pumped every `pumpEveryUs` of simulated time (the
 * pacing thread's publish cadence), its consumer committing everything after each pump.
 */
function generatorOnce(rate: number, pumpEveryUs: number, records: number): void {
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
}

/** Records in the per-record pacing row (a pump per record costs far more than an append). */
const PER_RECORD_RECORDS = 1 << 12;

let sink = 0;
const bench = new Bench({ time: 1500, warmupTime: 300 });
bench
  .add('fused map+filter+count loop', () => {
    sink ^= fusedLoopOnce(filled);
  })
  .add('batch partition task', () => partitionTaskOnce('batch'))
  .add('continuous partition task', () => partitionTaskOnce('continuous'))
  // 20M records/s published every 100 µs: the generator's cost per record at the default overload's order of rate.
  .add('load generator append', () => generatorOnce(20e6, GENERATOR_PACING.cadenceUs, RECORDS))
  // 1k records/s, each published at its own time: what the pump costs when it moves one record.
  .add('load generator, pump per record (1k/s pacing)', () => generatorOnce(1000, 1000, PER_RECORD_RECORDS));
const recordsOf: Record<string, number> = { 'load generator, pump per record (1k/s pacing)': PER_RECORD_RECORDS };
await bench.run();
const rows = bench.tasks.map((task) => {
  const result = task.result;
  const nsPerRecord = result.state === 'completed' ? (result.latency.p50 * 1e6) / (recordsOf[task.name] ?? RECORDS) : NaN;
  return { task: task.name, 'ns/record (median)': nsPerRecord.toFixed(1), 'M records/s': (1e3 / nsPerRecord).toFixed(1) };
});
console.table(rows);
if (sink === 42) console.log('');
