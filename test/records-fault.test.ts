/**
 * Fault recovery of record queries (issue 14) on q5 (sliding-window hot items) and q7
 * (tumbling-window highest bid), whose window state is snapshotted at commit points: partition
 * 0's worker thread — the one that runs these global queries — is killed mid-run (and, in the
 * batch modes, a batch throws once); a replacement restores the operators' state from the
 * last snapshot and replays the log from its offset. Every mode's (deduplicated) output then
 * equals the reference evaluator's over the same records, as the fault-free run's does.
 */
import { describe, expect, it } from 'vitest';
import type { RecordQuery } from '../engines/records/record-query.js';
import { runTrial } from '../runner/run-trial.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';
import { recordScenario } from './fixtures/record-scenario.js';
import { referenceRows, rowsDigest } from './reference/record-digest.js';

const RATE = 2000;
const WINDOW_SCALE = 100;
const SEED = 77;
const DURATION_SEC = 1;

describe.each([['q5'], ['q7']] as [RecordQuery][])('%s with a worker killed', (query) => {
  const expected = rowsDigest(referenceRows(query, WINDOW_SCALE, SEED, (0.2 + DURATION_SEC) * RATE, 1e6 / RATE));

  it.each(ALL_MODES)('%s: recovers from the snapshot and its output equals the reference', async (mode, params) => {
    const batch = mode !== 'continuous';
    const run = await runTrial(
      smallTrial(`records-${query}`, mode, params, {
        workload: recordScenario(query, RATE, WINDOW_SCALE),
        rate: RATE,
        seed: SEED,
        durationSec: DURATION_SEC,
        fault: { partition: 0, killAtSec: 0.5, ...(batch ? { failBatchAtSec: 0.2 } : {}) },
      }),
    );
    expect(run.status, run.error).toBe('ok');
    expect(run.drained).toBe(true);
    expect(run.sourceDropped).toBe(0);
    expect(run.faults?.events.map((e) => e.cause).sort()).toEqual(batch ? ['task-failed', 'worker-killed'] : ['worker-killed']);
    // A batch mode's kill may fall right after a commit (nothing to replay); a continuous task replays since its last epoch.
    if (!batch) expect(run.faults?.recordsReplayed).toBeGreaterThan(0);
    expect(run.outputDigest).toBe(expected);
    expect(Number(expected.split(':')[0])).toBeGreaterThan(0);
  });
});
