/**
 * A workload file of the user's (written to a temp dir, not in the repo) runs like a built-in:
 * skewed keys, a ramp profile and a pipeline of existing operators, under every mode with the
 * same output digest; its scenario travels to an isolated trial's child process and to the
 * fused-reference thread; results know it by its name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planTrials } from '../runner/plan-trials.js';
import { measureFusedRateIsolated } from '../runner/reference-fused.js';
import { runIsolated } from '../runner/run-isolated.js';
import { parseRunOptions, type RunOptions } from '../runner/run-options.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'streambench-workload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const skewedRamp = join(dir, 'skewed-ramp.yaml');
writeFileSync(
  skewedRamp,
  `# A user's workload: zipf keys, a rising load, tokenising and keyed sums.
name: skewed-ramp
description: zipf keys (s = 1.1) rising from 2k/s to 6k/s; map, flatMap, filter, keyed running sum
profile: { kind: ramp, rate: 2000, toRate: 6000, atSec: 0.2, durationSec: 0.6 }
arrivals: poisson
keys: { count: 200, distribution: zipf, exponent: 1.1 }
valueRange: 100000
pipeline:
  - { op: map, multiply: 7, add: 3, modulo: 99991 }
  - { op: flatMap, maxTokens: 3, vocabulary: 5000 }
  - { op: filter, dropMultiplesOf: 5 }
  - { op: keyedSum }
`,
);

const hotSink = join(dir, 'hot-sink.json');
writeFileSync(
  hotSink,
  JSON.stringify({
    name: 'hot-sink',
    description: 'one hot key takes half the records; a sine load; keyed count into an unlimited sink with 20 µs per write',
    profile: { kind: 'sine', rate: 3000, amplitude: 0.5, periodSec: 0.5 },
    keys: { count: 100, distribution: 'hot', hotKeys: 1, hotRatio: 0.5 },
    valueRange: 1000,
    pipeline: [{ op: 'keyedCount' }],
    sink: { capacityPerSec: 'unlimited', writeLatencyUs: 20 },
  }),
);

/** Options as `streambench run` parses them: light and short, as the small-trial fixture. */
function options(file: string, extra: string[] = []): RunOptions {
  const parsed = parseRunOptions(['--scenario', file, '--rate', '2000', '--duration', '0.8s', '--warmup', '0.2s', '--interval', '50ms', '--checkpoint', '200ms', '--seed', '1234', '--log-capacity', '65536', ...extra]);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

describe('a workload file from outside the repo', () => {
  it('is planned under its own name, carrying its scenario', () => {
    const specs = planTrials(options(skewedRamp), 50);
    expect(specs.map((s) => s.mode)).toEqual(['micro-batch', 'trigger', 'continuous']);
    for (const spec of specs) {
      expect(spec.scenario).toBe('skewed-ramp');
      expect(spec.workload?.keyDistribution).toEqual({ kind: 'zipf', exponent: 1.1 });
      expect(spec.workload?.profile).toEqual({ kind: 'ramp', rate: 2000, toRate: 6000, atSec: 0.2, durationSec: 0.6 });
    }
  });

  it('runs under every mode with the same output digest, drained, every offset accounted for', async () => {
    const runs = [];
    for (const spec of planTrials(options(skewedRamp), 50)) runs.push(await runTrial(spec));
    for (const run of runs) {
      expect(run.status).toBe('ok');
      expect(run.scenario).toBe('skewed-ramp');
      expect(run.drained).toBe(true);
      expect(run.sourceDropped).toBe(0);
      expect(run.recordsIn).toBe(run.recordsOffered);
      // The ramp: 0.2 s at 2k/s of warm-up, then 2k → 6k/s over 0.6 s and 6k/s for 0.2 s ≈ 3600 measured.
      expect(run.recordsOffered).toBeGreaterThan(3400);
      expect(run.recordsOffered).toBeLessThan(3800);
    }
    expect(new Set(runs.map((run) => run.outputDigest)).size).toBe(1);
    expect(Number(runs[0].outputDigest.split(':')[0])).toBeGreaterThan(runs[0].recordsIn);
  });

  it('runs in an isolated trial\'s child process with the digest it has in this one (an unlimited sink included)', async () => {
    const [spec] = planTrials(options(hotSink, ['--mode', 'trigger']), 50) as [TrialSpec];
    expect(spec.sink?.capacityPerSec).toBe(Infinity);
    const inChild = await runIsolated(spec, false);
    expect(inChild.error).toBeUndefined();
    expect(inChild.status).toBe('ok');
    expect(inChild.scenario).toBe('hot-sink');
    const here = await runTrial(spec);
    expect(inChild.outputDigest).toBe(here.outputDigest);
    expect(inChild.sink?.writes).toBeGreaterThan(0);
  });

  it('is measured by the fused reference loop in its own thread', async () => {
    const [spec] = planTrials(options(skewedRamp, ['--mode', 'continuous']), 50) as [TrialSpec];
    expect(await measureFusedRateIsolated(spec.workload!, 50, 20)).toBeGreaterThan(0);
  });
});
