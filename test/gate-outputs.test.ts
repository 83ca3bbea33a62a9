/**
 * The gate's outputs: the markdown summary names every metric with its figures, the
 * github-action-benchmark JSON has the custom formats' shape, and the command writes them
 * all (and to $GITHUB_STEP_SUMMARY) with the right exit code — the sampler injected, so no
 * engine runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildBaseline, writeBaseline } from '../reports/gate/baseline.js';
import { benchmarkActionEntries } from '../reports/gate/benchmark-action.js';
import { runGate } from '../reports/gate/gate.js';
import { renderGateMarkdown } from '../reports/gate/markdown.js';
import { resolveSuite } from '../reports/gate/suite.js';
import { gateCommand } from '../commands/gate-command.js';
import { captureEnvironment } from '../runner/environment.js';
import { around, miniConfig, sampleSet, stubSampler } from './fixtures/gate-fixtures.js';

const suite = resolveSuite(miniConfig, 'mini', 'test.json');
const normal: Record<string, number> = { 'heavy throughput ÷ fused': 1.2, 'steady p50 ÷ hand-off': 1, 'heavy ÷ steady throughput': 50 };
const baseline = buildBaseline(suite, sampleSet(Object.fromEntries(Object.entries(normal).map(([name, value]) => [name, around(value, 10)]))), captureEnvironment());

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** `--update-baseline` options for the mini suite in a fresh folder, with stdout silenced and stderr captured. */
function baselineRecording() {
  const dir = mkdtempSync(join(tmpdir(), 'streambench-gate-'));
  const config = join(dir, 'suites.json');
  writeFileSync(config, JSON.stringify(miniConfig));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const options = { suite: 'mini', baseline: join(dir, 'b', 'mini.json'), updateBaseline: true, trials: undefined, out: join(dir, 'out'), config, quiet: true };
  return { options, stderr };
}

describe('gate outputs', () => {
  it('the markdown summary has every metric with baseline, current, change, CI, p and verdict', async () => {
    const outcome = await runGate(suite, baseline, stubSampler((m) => (m.name === 'heavy throughput ÷ fused' ? 0.9 : normal[m.name])), 5);
    const markdown = renderGateMarkdown(outcome, { suite, baselinePath: 'baselines/mini.json', baseline, trials: 5, elapsedSec: 12 });
    expect(markdown).toMatch(/^## streambench performance gate: ❌ 1 regression/);
    for (const name of Object.keys(normal)) expect(markdown).toContain(name);
    expect(markdown).toContain('| metric | better | baseline | current | change | 95% CI | p | min effect | verdict |');
    expect(markdown).toMatch(/\| heavy throughput ÷ fused \| bigger \| 1\.20 \| 0\.900 \| −25\.0% \| −\d+\.\d% … −\d+\.\d% \| 0\.0\d+ \| 10% \| ❌ regressed \(confirmed: −25\.0%/);
    expect(markdown).toContain('fused single-thread `heavy` loop: 50k/s → 50k/s');
  });

  it('benchmark-action entries: {name, unit, value, range, extra}, split by direction', async () => {
    const outcome = await runGate(suite, baseline, stubSampler((m) => normal[m.name]), 5);
    const { biggerIsBetter, smallerIsBetter } = benchmarkActionEntries(outcome.verdicts, outcome.measured.samples);
    expect(biggerIsBetter.map((e) => e.name)).toEqual(['heavy throughput ÷ fused', 'heavy ÷ steady throughput']);
    expect(smallerIsBetter.map((e) => e.name)).toEqual(['steady p50 ÷ hand-off']);
    for (const entry of [...biggerIsBetter, ...smallerIsBetter]) {
      expect(Object.keys(entry).sort()).toEqual(['extra', 'name', 'range', 'unit', 'value']);
      expect(typeof entry.value).toBe('number');
      expect(entry.unit).toBe('ratio');
      expect(entry.range).toMatch(/^± \d/);
      expect(entry.extra).toMatch(/^unchanged; n=5; baseline median/);
    }
    expect(biggerIsBetter[0].value).toBeCloseTo(1.2, 5);
  });

  it('gateCommand writes every file, appends to $GITHUB_STEP_SUMMARY and exits 0 on pass, 1 on a confirmed regression', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streambench-gate-'));
    const config = join(dir, 'suites.json');
    writeFileSync(config, JSON.stringify(miniConfig));
    await writeBaseline(join(dir, 'mini.json'), baseline);
    const stepSummary = join(dir, 'step-summary.md');
    vi.stubEnv('GITHUB_STEP_SUMMARY', stepSummary);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const options = { suite: 'mini', baseline: join(dir, 'mini.json'), updateBaseline: false, trials: undefined, out: join(dir, 'out'), config, quiet: true };

    expect(await gateCommand(options, { sampler: () => stubSampler((m) => normal[m.name]) })).toBe(0);
    const summary = readFileSync(join(dir, 'out', 'gate-summary.md'), 'utf8');
    expect(summary).toContain('✅ passed');
    expect(readFileSync(stepSummary, 'utf8')).toBe(summary);
    const bigger = JSON.parse(readFileSync(join(dir, 'out', 'benchmark-bigger-is-better.json'), 'utf8'));
    const smaller = JSON.parse(readFileSync(join(dir, 'out', 'benchmark-smaller-is-better.json'), 'utf8'));
    expect(bigger).toHaveLength(2);
    expect(smaller).toHaveLength(1);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'gate-results.json'), 'utf8'));
    expect(results).toMatchObject({ schema: 'streambench/gate-results', version: 1, suite: 'mini', passed: true });

    const slow = () => stubSampler((m) => (m.name === 'heavy throughput ÷ fused' ? 0.9 : normal[m.name]));
    expect(await gateCommand({ ...options, out: join(dir, 'out2') }, { sampler: slow })).toBe(1);
    expect(readFileSync(join(dir, 'out2', 'gate-summary.md'), 'utf8')).toContain('❌ 1 regression');
  });

  it('--update-baseline records the measured samples; a failed measurement exits 2', async () => {
    const { options, stderr } = baselineRecording();
    const sampler = stubSampler((m) => normal[m.name]);
    expect(await gateCommand(options, { sampler: () => sampler })).toBe(0);
    expect(sampler.calls).toEqual([{ phase: 'baseline', metrics: Object.keys(normal), trials: 10 }]);
    const recorded = JSON.parse(readFileSync(options.baseline, 'utf8'));
    expect(recorded).toMatchObject({ schema: 'streambench/gate-baseline', version: 1, suite: 'mini', trials: 10 });
    expect(recorded.metrics['heavy throughput ÷ fused'].samples).toHaveLength(10);

    const failing = async () => {
      throw new Error("run 'fast' trial 1 failed: worker crashed");
    };
    expect(await gateCommand({ ...options, updateBaseline: false }, { sampler: () => failing })).toBe(2);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/^streambench: gate: measurement failed, nothing judged: run 'fast' trial 1 failed/);
  });

  it('--update-baseline refuses to write a baseline measured on a busy machine', async () => {
    const { options, stderr } = baselineRecording();
    const base = stubSampler((m) => normal[m.name]);
    // 8 of 10 trials ran while other processes kept a core busy: only 2 quiet ones.
    const busy = async (...args: Parameters<typeof base>) => {
      const set = await base(...args);
      return { ...set, contention: Object.fromEntries(Object.keys(set.samples).map((name) => [name, [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]])) };
    };
    expect(await gateCommand(options, { sampler: () => busy })).toBe(2);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/^streambench: gate: baseline not written: fewer than 3 trials of 'heavy throughput ÷ fused', 'steady p50 ÷ hand-off' ran undisturbed .* re-record on a quiet machine\n$/);
    expect(() => readFileSync(options.baseline, 'utf8')).toThrow(/ENOENT/);
  });
});
