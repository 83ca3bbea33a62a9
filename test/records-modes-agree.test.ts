/**
 * Every record query under every mode (issue 14): a Nexmark, sentence or JSON ad source at a
 * light rate, written into shared record columns by the generator thread, read by slot in
 * the real partition tasks of each mode on real worker threads, drains with nothing dropped
 * and produces the same output digest in every mode — the digest the independent reference
 * evaluator computes over the same generated records (record n at n × 500 µs, seed 1234).
 * Windows are scaled 100× shorter (q5 100 ms every 20 ms; q7, q8, json-ingest 100 ms) so a
 * one-second trial closes several.
 */
import { describe, expect, it } from 'vitest';
import { QUERY_SOURCE, RECORD_QUERIES } from '../engines/records/record-query.js';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';
import { referenceRows, rowsDigest } from './reference/record-digest.js';
import { recordScenario } from './fixtures/record-scenario.js';

const RATE = 2000;
const WINDOW_SCALE = 100;
const SEED = 1234;

describe.each(RECORD_QUERIES.map((query) => [query]))('record query %s', (query) => {
  it('under every mode: drains, drops nothing, and its digest equals the reference evaluator', async () => {
    const runs: RunResult[] = [];
    for (const [mode, params] of ALL_MODES) {
      runs.push(await runTrial(smallTrial(`records-${query}`, mode, params, { workload: recordScenario(query, RATE, WINDOW_SCALE), rate: RATE, seed: SEED })));
    }
    // Record n at n × 500 µs, from 0 to the end of the 1 s schedule (0.2 s warm-up + 0.8 s).
    const records = (0.2 + 0.8) * RATE;
    const expected = rowsDigest(referenceRows(query, WINDOW_SCALE, SEED, records, 1e6 / RATE));
    for (const run of runs) {
      expect(run.status).toBe('ok');
      expect(run.sourceDropped).toBe(0);
      expect(run.drained).toBe(true);
      expect(run.unprocessed).toBe(0);
      expect(run.lateDropped).toBe(0);
      expect(run.outputDigest).toBe(expected);
      // GC pauses of every kind of thread, each task thread's ELU, events per engine CPU second
      expect(run.resources.gc?.workers.count).toBeGreaterThanOrEqual(0);
      expect(run.resources.gc?.driver).toBeDefined();
      expect(run.resources.gc?.generator).toBeDefined();
      expect(run.resources.workerElu).toHaveLength(2);
      expect(run.resources.eventsPerCoreSec).toBeGreaterThan(0);
      expect(run.records).toEqual({ source: QUERY_SOURCE[query], query, windowScale: WINDOW_SCALE });
    }
    expect(Number(expected.split(':')[0])).toBeGreaterThan(0);
  });
});
