/**
 * Runs through a real broker: a private `redis-server` (/usr/bin/redis-server, provisioned by
 * `npm test`) on a loopback port, started and stopped by this file. Every built-in mode served
 * by `streambench serve`, the Python example system under test, and two generator processes
 * must produce the output of the in-process run — the same digest for the same scenario, seed
 * and partitions — with every input entry acknowledged.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import { run, sweep } from '../commands/api.js';
import type { RunResult } from '../primitives/results-schema.js';
import { decodeHistogram } from '../primitives/histogram.js';
import { startLocalRedis, type LocalRedis } from '../runner/broker/local-redis.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

/** A short light trial: 2 partitions, 1000 records/s, 0.2 s warm-up, 0.6 s measured. */
const LIGHT = { scenario: 'steady', rate: '1k', warmup: '0.2s', duration: '0.6s', 'drain-timeout': '5s', workers: '2', seed: '7', interval: '50ms' };

let redis: LocalRedis;
let reference: string;

beforeAll(async () => {
  redis = await startLocalRedis();
  const { results } = await run({ ...LIGHT, mode: 'continuous', 'in-process': true });
  reference = results.runs[0].outputDigest;
});

afterAll(async () => {
  await redis?.stop();
});

function expectAccounted(result: RunResult): void {
  expect(result.status).toBe('ok');
  expect(result.drained).toBe(true);
  expect(result.outputDigest).toBe(reference);
  expect(result.broker?.accounting).toMatchObject({ pending: 0, undelivered: 0, allAcknowledged: true, duplicates: 0 });
  expect(result.broker?.accounting.results).toBe(Number(reference.split(':')[0]));
  expect(result.latency.eventTime.count).toBeGreaterThan(0);
  expect(result.latency.eventTime.min).toBeGreaterThan(0);
}

describe('through Redis Streams', () => {
  it('every built-in mode behind `streambench serve` produces the in-process output', async () => {
    const { results, exitCode } = await run({ ...LIGHT, mode: 'micro-batch,trigger,continuous', target: redis.url });
    expect(exitCode).toBe(0);
    expect(results.runs.map((r) => r.mode)).toEqual(['micro-batch', 'trigger', 'continuous']);
    for (const result of results.runs) {
      expectAccounted(result);
      expect(result.broker).toMatchObject({ sut: `serve --mode ${result.mode}`, generators: 1, clock: { via: 'monotonic', errorUs: 0 }, engineDigest: reference });
      expect(result.latency.processingTime.count).toBeGreaterThan(0); // serve's engine reports its own
      expect(result.timeline.backlog.length).toBeGreaterThan(0);
    }
    expect(results.digestChecks[0].verdict).toBe('match');
    // serve reports its engine's own breakdown: batches of the batch modes, epochs of continuous.
    expect(results.runs[0].batches?.count).toBeGreaterThan(10);
    expect(results.runs[2].epochs).toBeGreaterThan(0);
    // micro-batch with T = 50 ms waits for its batch: far above the per-record modes.
    const p50 = Object.fromEntries(results.runs.map((r) => [r.mode, r.latency.eventTime.p50]));
    expect(p50['micro-batch']).toBeGreaterThan(10_000);
  });

  it('the Python example system under test (stdlib only) produces the same digest', async () => {
    const { results } = await run({ ...LIGHT, target: redis.url, sut: 'python3 examples/sut/steady_sut.py' });
    const [result] = results.runs;
    expect(result.mode).toBe('sut');
    expect(result.broker?.sut).toBe('python3 examples/sut/steady_sut.py');
    expectAccounted(result);
    expect(result.latency.processingTime.count).toBe(0); // it reports no engine figures of its own
  });

  it('two generator processes publish the same input as one, and their lag histograms are merged', async () => {
    const { results } = await run({ ...LIGHT, mode: 'continuous', target: redis.url, generators: '2' });
    const [result] = results.runs;
    expectAccounted(result);
    expect(result.broker?.generators).toBe(2);
    expect(result.broker?.accounting.appended).toBe(1000 * 0.8);
    expect(result.recordsIn).toBe(600);
    const lag = decodeHistogram(result.generatorLag.histogram);
    expect(lag.totalCount).toBe(600); // both generators' measured records, in one histogram
    expect(result.generatorLag.count).toBe(600);
  });

  it('a system and a generator started on their own (as on other hosts) serve and feed announced trials; clocks joined through the broker\'s time', async () => {
    // Their stdin is a pipe from this process: they exit with it even if this test is cut short.
    const env = { ...process.env, STREAMBENCH_EXIT_WITH_PARENT: '1' };
    const started = [
      spawn(process.execPath, [cli, 'serve', '--mode', 'trigger', '--target', redis.url], { stdio: ['pipe', 'ignore', 'ignore'], env }),
      // Another "host": a boot id of its own makes it map the origin through Redis TIME.
      spawn(process.execPath, [cli, 'generate', '--target', redis.url, '--share', '1/2'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...env, STREAMBENCH_BOOT_ID: 'another-host' } }),
    ];
    try {
      const { results } = await run({ ...LIGHT, target: redis.url, sut: 'none', generators: '2', 'external-shares': '1' });
      const [result] = results.runs;
      expectAccounted(result);
      expect(result.broker).toMatchObject({ sut: 'none', generators: 2, engineDigest: reference });
      expect(result.broker?.clock.via).toBe('broker-time');
      expect(result.broker?.clock.errorUs).toBeGreaterThan(0);
      expect(result.broker?.clock.errorUs).toBeLessThan(5000); // half a loopback round trip, with margin for a busy machine
    } finally {
      for (const child of started) child.kill('SIGKILL');
    }
  });

  it('sweep runs its probes through the broker too', async () => {
    const { results } = await sweep({ ...LIGHT, rate: undefined, mode: 'trigger', rates: '1k,3k', target: redis.url, budget: '2m' });
    expect(results.runs).toHaveLength(2);
    for (const probe of results.runs) {
      expect(probe.broker?.sut).toBe('serve --mode trigger');
      expect(probe.drained).toBe(true);
    }
    expect(results.sweeps?.[0].points.map((p) => p.offeredRate)).toEqual([1000, 3000]);
    expect((results.options as { broker?: { target: string } }).broker?.target).toBe(redis.url);
  });
});
