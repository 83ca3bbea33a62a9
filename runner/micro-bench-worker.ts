/**
 * One row of `bench:micro` in a worker thread of its own: a fresh isolate, so the row's call
 * sites see only its own code — as a partition task's thread does, which runs one pipeline in
 * one form — and rows measured earlier cannot make them polymorphic. Posts the row's median
 * ns per record and the checksum of its last iteration.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { microBenchRows, RECORDS } from './micro-bench-rows.js';

/** What a row's thread posts back. */
export interface RowResult {
  nsPerRecord: number;
  checksum: number;
}

const { name, timeMs, warmupMs } = workerData as { name: string; timeMs: number; warmupMs: number };
const row = microBenchRows.find((candidate) => candidate.name === name);
if (!row) throw new Error(`no bench:micro row named '${name}'`);
const iteration = row.setup();
let checksum = 0;
const bench = new Bench({ time: timeMs, warmupTime: warmupMs });
bench.add(name, () => {
  checksum = iteration();
});
await bench.run();
const result = bench.tasks[0].result;
const nsPerRecord = result.state === 'completed' ? (result.latency.p50 * 1e6) / (row.records ?? RECORDS) : NaN;
parentPort?.postMessage({ nsPerRecord, checksum } satisfies RowResult);
