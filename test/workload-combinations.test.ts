/**
 * What the one task loop makes possible: a workload file that combines a priority class, a
 * slow sink and a worker kill runs under every mode, with the priority lane off and on, from
 * the real CLI: the modes agree on the (deduplicated) output, every offset is accounted for,
 * and the lane's counters balance.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import type { ResultsFile } from '../primitives/results-schema.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

const WORKLOAD = `
name: priority-behind-a-slow-sink-with-a-kill
description: 5% priority class, a slow sink, and partition 0's worker killed mid-run
profile: { kind: constant, rate: 1000 }
keys: { count: 500 }
valueRange: 1000000
pipeline:
  - { op: map, multiply: 3, add: 7, modulo: 1000003 }
  - { op: keyedCount }
priority: { fraction: 0.05 }
sink: { capacityPerSec: 400000, writeLatencyUs: 50, queueRecords: 8000, drop: none }
fault: { partition: 0, killAtSec: 0.6 }
`;

describe('a priority class behind a slow sink, with a worker killed', () => {
  it('runs under every mode with the lane off and on: outputs agree, offsets accounted for, lane counters balance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streambench-combination-'));
    writeFileSync(join(dir, 'combined.yaml'), WORKLOAD);
    const out = join(dir, 'out');
    const result = spawnSync(
      process.execPath,
      [cli, 'run', '--scenario', './combined.yaml', '--priority-lane', 'off,on', '--rate', '4k', '--duration', '1.2s', '--warmup', '0.3s', '--quiet', '--out', out],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(file.runs).toHaveLength(6);
    expect(file.digestChecks.map((c) => c.verdict)).toEqual(['match']);
    for (const run of file.runs) {
      expect(run.drained).toBe(true);
      expect(run.faults?.events.some((e) => e.cause === 'worker-killed')).toBe(true);
      const a = run.accounting!;
      expect(a.committed + a.sourceDropped).toBe(a.appended);
      expect(a.delivered + a.sinkDropped).toBe(a.outputs);
      expect(run.sink?.writes).toBeGreaterThan(0);
      expect(run.priority!.fastTracked).toBe(run.priority!.caughtUp);
      expect(run.priority!.lane).toBe(run.params.priorityLane === true);
    }
  }, 150_000);
});
