/**
 * The in-process floor for an engine's throughput (DESIGN.md §8): the scenario's own
 * pipeline operators chained on one thread and fed from arrays in a tight loop — no source
 * log, no worker threads, no latency recording — timed with tinybench in the gate's own job.
 * An engine's output rate ÷ this rate is a machine-independent figure. A record query's
 * floor is its operators over a ring of record columns (`reference-fused-records.ts`).
 */
import { Worker } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { planLineage } from '../engines/operators/branch.js';
import { buildPipeline } from '../engines/operators/pipeline.js';
import { KeySampler } from '../scenarios/key-distribution.js';
import type { Scenario } from '../scenarios/scenario.js';
import { compiledFile } from '../primitives/compiled-file.js';
import { Random } from '../primitives/random.js';
import { measureFusedRecordRate } from './reference-fused-records.js';

/** Records per timed iteration are chosen so one iteration takes about this long (ms). */
const ITERATION_MS = 4;

/**
 * Output records per second of `scenario`'s pipeline fused on one thread, with the CPU-cost
 * loop at `cpuIterationsPerUs` (the run's calibration, so it does the engine's work per record).
 */
export function measureFusedRate(scenario: Scenario, cpuIterationsPerUs: number, timeMs = 150): number {
  if (scenario.records) return measureFusedRecordRate(scenario.records, timeMs);
  const records = recordsFor(scenario, 1 << 16);
  let outputs = 0;
  const once = (n: number): number => {
    let emitted = 0;
    const sink = { push: () => void emitted++, finish: () => undefined };
    const head = buildPipeline(planLineage(scenario.pipeline), sink, { keys: scenario.keys, cpuIterationsPerUs, counters: { lateDropped: 0 } });
    for (let i = 0; i < n; i++) head.push(records.eventTime[i], records.key[i], records.value[i]);
    head.finish();
    return emitted;
  };
  // Size an iteration from a short probe, so cheap and CPU-heavy pipelines are timed alike.
  const probeStart = performance.now();
  once(256);
  const perRecordMs = Math.max((performance.now() - probeStart) / 256, 1e-6);
  const n = Math.max(64, Math.min(records.key.length, Math.round(ITERATION_MS / perRecordMs)));
  const bench = new Bench({ time: timeMs, warmupTime: 100 });
  bench.add('fused', () => {
    outputs = once(n);
  });
  bench.runSync();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`fused reference loop did not complete (${result.state})`);
  return outputs / (result.latency.p50 / 1000);
}

/**
 * {@link measureFusedRate} for a scenario (a built-in's name, or the scenario itself) in a
 * fresh worker thread (its own JIT state, so pipelines measured earlier in this process
 * cannot make its call sites polymorphic).
 */
export async function measureFusedRateIsolated(scenario: string | Scenario, cpuIterationsPerUs: number, timeMs = 150): Promise<number> {
  const worker = new Worker(compiledFile(import.meta.url, './reference-fused-worker.js'), { workerData: { scenario, cpuIterationsPerUs, timeMs } });
  try {
    return await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`fused reference thread exited (code ${code}) without a result`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** Deterministic records shaped like the scenario's source: 1 ms apart, its key distribution (default uniform), uniform values. */
function recordsFor(scenario: Scenario, n: number): { eventTime: Float64Array; key: Int32Array; value: Int32Array } {
  const random = new Random(42);
  const eventTime = new Float64Array(n);
  const key = new Int32Array(n);
  const value = new Int32Array(n);
  const sampler = scenario.keyDistribution ? new KeySampler(scenario.keyDistribution, scenario.keys) : undefined;
  for (let i = 0; i < n; i++) {
    eventTime[i] = i * 1000;
    key[i] = sampler ? sampler.draw(random) : random.below(scenario.keys);
    value[i] = random.below(scenario.valueRange);
  }
  return { eventTime, key, value };
}
