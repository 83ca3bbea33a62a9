/**
 * `npm run bench:micro`: per-record costs of the hot paths, each row measured with tinybench
 * in a worker thread of its own (`micro-bench-worker.ts`; rows run one after another), on the
 * same input: the fused single-thread loop (the floor), the batch and continuous partition
 * tasks interpreted and generated (`--codegen`), the generated tasks without latency
 * recording, a clock read, a commit (`Atomics.store`) and the load generator's append
 * (`micro-bench-rows.ts`). Then the DESIGN.md §8 targets as ratios of this run
 * (`micro-bench-targets.ts`). The task rows must agree on their output digest.
 *
 * `--json` prints only `{ "<row>": nsPerRecord, … }`.
 */
import { Worker } from 'node:worker_threads';
import { compiledFile } from '../primitives/compiled-file.js';
import { microBenchRows } from './micro-bench-rows.js';
import { checkTargets, formatTargets } from './micro-bench-targets.js';
import type { RowResult } from './micro-bench-worker.js';

/** Timed and warm-up time per row (ms). */
const TIME_MS = 1500;
const WARMUP_MS = 300;

/** Runs the row `name` in a fresh worker thread. */
function runRow(name: string): Promise<RowResult> {
  const worker = new Worker(compiledFile(import.meta.url, './micro-bench-worker.js'), { workerData: { name, timeMs: TIME_MS, warmupMs: WARMUP_MS } });
  return new Promise<RowResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`bench:micro row '${name}' exited (code ${code}) without a result`)));
  }).finally(() => void worker.terminate());
}

const json = process.argv.includes('--json');
const times: Record<string, number> = {};
const digests = new Map<string, number>();
for (const row of microBenchRows) {
  const result = await runRow(row.name);
  times[row.name] = result.nsPerRecord;
  if (row.name.includes('partition task')) digests.set(row.name, result.checksum);
}
if (new Set(digests.values()).size > 1) {
  throw new Error(`bench:micro: the task rows disagree on their output digest: ${JSON.stringify(Object.fromEntries(digests))}`);
}
if (json) {
  console.log(JSON.stringify(times, null, 2));
} else {
  console.table(Object.entries(times).map(([task, ns]) => ({ task, 'ns/record (median)': ns.toFixed(1), 'M records/s': (1e3 / ns).toFixed(1) })));
  for (const line of formatTargets(checkTargets(times))) console.log(line);
}
