/**
 * GC pauses and throughput per core (issue 14): the two GC recorders count real collections
 * (a PerformanceObserver where the event loop runs; V8's GCProfiler where a thread holds its
 * loop, as partition tasks do — the observer sees nothing there), samples merge by adding,
 * and the resources table and the HTML show them.
 */
import { Worker } from 'node:worker_threads';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { gcFigures, mergeGcSamples, observeGcPauses, profileGcPauses, type GcSample } from '../primitives/gc-pauses.js';
import { renderResourcesTable } from '../reports/resources-table.js';
import { makeRun, TEST_ENVIRONMENT } from './fixtures/run-result.js';
import { loadReportAssets } from '../reports/html/assets.js';
import { renderReport } from '../reports/html/render.js';
import { buildResultsFile } from '../reports/results-file.js';

/** Allocates enough short-lived garbage for several young-generation collections. */
function churn(): number {
  let keep: object[] = [];
  let n = 0;
  for (let i = 0; i < 400_000; i++) {
    keep.push({ i, text: `item ${i}` });
    if (keep.length > 2000) {
      n += keep.length;
      keep = [];
    }
  }
  return n + keep.length;
}

describe('GC pause recorders', () => {
  it('the profiler counts collections of a thread that never yields, with consistent figures', () => {
    const recorder = profileGcPauses();
    expect(churn()).toBe(400_000);
    const sample = recorder.stop();
    expect(sample.count).toBeGreaterThan(0);
    const figures = gcFigures(sample);
    expect(figures.count).toBe(sample.count);
    expect(figures.totalMs).toBeGreaterThan(0);
    expect(figures.maxMs).toBeGreaterThan(0);
    expect(figures.maxMs).toBeLessThanOrEqual(figures.totalMs * 1.01);
    expect(figures.p99Ms).toBeLessThanOrEqual(figures.maxMs);
  });

  it('the observer counts them once the event loop has run', async () => {
    const recorder = observeGcPauses();
    churn();
    await yieldToLoop();
    await yieldToLoop();
    const sample = recorder.stop();
    expect(sample.count).toBeGreaterThan(0);
    expect(gcFigures(sample).totalMs).toBeGreaterThan(0);
  });

  it('in a thread that holds its event loop, the observer sees nothing and the profiler sees every collection', async () => {
    const source = `
      const { parentPort } = require('node:worker_threads');
      const { PerformanceObserver } = require('node:perf_hooks');
      const { GCProfiler } = require('node:v8');
      const observer = new PerformanceObserver(() => {});
      observer.observe({ entryTypes: ['gc'] });
      const profiler = new GCProfiler();
      profiler.start();
      let keep = [];
      for (let i = 0; i < 400000; i++) { keep.push({ i, text: 'item ' + i }); if (keep.length > 2000) keep = []; }
      parentPort.postMessage({ observed: observer.takeRecords().length, profiled: profiler.stop().statistics.length });
    `;
    const worker = new Worker(source, { eval: true });
    const seen = await new Promise<{ observed: number; profiled: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(seen.observed).toBe(0);
    expect(seen.profiled).toBeGreaterThan(0);
  });

  it('samples merge: counts and totals add, the longest pause is the longest of all', () => {
    const a = profileGcPauses();
    churn();
    const first = a.stop();
    const b = profileGcPauses();
    churn();
    churn();
    const second = b.stop();
    const merged = mergeGcSamples([first, second]);
    expect(merged.count).toBe(first.count + second.count);
    expect(merged.totalUs).toBeCloseTo(first.totalUs + second.totalUs, 6);
    expect(gcFigures(merged).maxMs).toBe(Math.max(gcFigures(first).maxMs, gcFigures(second).maxMs));
    const none: GcSample = mergeGcSamples([]);
    expect(gcFigures(none)).toEqual({ count: 0, totalMs: 0, maxMs: 0, p99Ms: 0 });
  });
});

describe('the resources table', () => {
  it('shows events per core beside records/s and GC pauses by thread, only for runs that have them', () => {
    const gc = { driver: { count: 3, totalMs: 1.5, maxMs: 0.9, p99Ms: 0.9 }, workers: { count: 40, totalMs: 12.25, maxMs: 2.5, p99Ms: 2 }, generator: { count: 0, totalMs: 0, maxMs: 0, p99Ms: 0 } };
    const run = makeRun({ scenario: 'nexmark-q0', throughputIn: 50_000 });
    const withGc = { ...run, resources: { ...run.resources, gc, workerElu: [1, 0.5], eventsPerCoreSec: 1_250_000 } };
    const lines = renderResourcesTable([withGc, run]);
    expect(lines[0]).toBe('resources:');
    const row = lines.find((line) => line.startsWith('nexmark-q0'));
    expect(row).toMatch(/50k\/s +1\.25M\/s/);
    expect(row).toMatch(/40: 12\.3ms, max 2\.50ms +3: 1\.5ms, max 0\.90ms +0 +1\.00 0\.50/);
    expect(lines.filter((line) => line.startsWith('nexmark-q0'))).toHaveLength(1);
    expect(renderResourcesTable([run])).toEqual([]);
  });

  it('and the HTML report has a resources table for them', async () => {
    const gc = { driver: { count: 3, totalMs: 1.5, maxMs: 0.9, p99Ms: 0.9 }, workers: { count: 40, totalMs: 12.25, maxMs: 2.5, p99Ms: 2 } };
    const run = makeRun({ scenario: 'nexmark-q0' });
    const withGc = { ...run, resources: { ...run.resources, gc, workerElu: [1, 0.5], eventsPerCoreSec: 1_250_000 } };
    const html = renderReport([{ label: 'results.json', file: buildResultsFile([withGc], TEST_ENVIRONMENT, {}, []) }], await loadReportAssets());
    expect(html).toMatch(/<h4>Resources<\/h4>/);
    expect(html).toMatch(/1\.25M\/s/);
    expect(html).toMatch(/40: 12\.3ms, max 2\.50ms/);
    const without = renderReport([{ label: 'results.json', file: buildResultsFile([run], TEST_ENVIRONMENT, {}, []) }], await loadReportAssets());
    expect(without).not.toMatch(/<h4>Resources<\/h4>/);
  });
});
