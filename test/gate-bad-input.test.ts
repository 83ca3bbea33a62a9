/**
 * Bad gate input is a UsageError (exit 2, one line) naming the fix: unknown suite, a
 * broken config, a missing or broken baseline, a wrong schema or version, a baseline
 * recorded with other settings. Also checks that the committed gate-suites.json and
 * baselines/quick.json are valid and agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBaseline, readBaseline } from '../reports/gate/baseline.js';
import { loadSuite, resolveSuite } from '../reports/gate/suite.js';
import { parseGateOptions } from '../commands/gate-command.js';
import { captureEnvironment } from '../runner/environment.js';
import { compiledFile } from '../primitives/compiled-file.js';
import { UsageError } from '../primitives/usage-error.js';
import { around, miniConfig, sampleSet } from './fixtures/gate-fixtures.js';

const suite = resolveSuite(miniConfig, 'mini', 'test.json');
const good = buildBaseline(suite, sampleSet(Object.fromEntries(suite.metrics.map((m) => [m.name, around(1, 10)]))), captureEnvironment());

function baselineFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'streambench-baseline-')), 'mini.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function usageError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('gate baselines: bad input names the fix', () => {
  const fix = /--update-baseline/;
  it('missing file', async () => {
    const message = await usageError(readBaseline('/nonexistent/mini.json', suite));
    expect(message).toMatch(/^--baseline \/nonexistent\/mini\.json: no such file; record it with `streambench gate --suite mini --baseline \/nonexistent\/mini\.json --update-baseline`$/);
  });
  it('not JSON', async () => {
    expect(await usageError(readBaseline(baselineFile('{ nope'), suite))).toMatch(/not valid JSON; re-record it with .*--update-baseline/);
  });
  it('wrong schema', async () => {
    const message = await usageError(readBaseline(baselineFile({ ...good, schema: 'streambench/results' }), suite));
    expect(message).toMatch(/not a gate baseline \(schema "streambench\/results", expected 'streambench\/gate-baseline'\)/);
    expect(message).toMatch(fix);
  });
  it('wrong schema version', async () => {
    const message = await usageError(readBaseline(baselineFile({ ...good, version: 2 }), suite));
    expect(message).toMatch(/version 2 is not supported by this streambench \(reads version 1\); re-record it with `streambench gate --suite mini/);
  });
  it('a metric without samples', async () => {
    const { ['steady p50 ÷ hand-off']: _dropped, ...metrics } = good.metrics;
    expect(await usageError(readBaseline(baselineFile({ ...good, metrics }), suite))).toMatch(/no samples for metric 'steady p50 ÷ hand-off' of suite 'mini'.*--update-baseline/);
  });
  it('too few or non-numeric samples', async () => {
    const metrics = { ...good.metrics, 'heavy throughput ÷ fused': { ...good.metrics['heavy throughput ÷ fused'], samples: [1, 'x', 2] } };
    expect(await usageError(readBaseline(baselineFile({ ...good, metrics }), suite))).toMatch(/needs at least 3 positive numeric samples/);
  });
  it('recorded with other run settings', async () => {
    const changed = structuredClone(miniConfig);
    changed.suites.mini.runs.fast.rate = '60k';
    const changedSuite = resolveSuite(changed, 'mini', 'test.json');
    expect(await usageError(readBaseline(baselineFile(good), changedSuite))).toMatch(/measured with other run settings than suite 'mini' now has; re-record/);
  });
  it('a planted-regression variant of a suite still matches its baseline (cpuCostScale is not a setting)', async () => {
    const file = baselineFile(good);
    const planted = await readBaseline(file, resolveSuite(miniConfig, 'mini-planted', 'test.json'));
    expect(planted).toEqual(JSON.parse(JSON.stringify(good)));
    expect(planted).toEqual(await readBaseline(file, suite));
  });
});

describe('gate suites: bad input names the fix', () => {
  const expectUsage = (run: () => unknown, message: RegExp): void => {
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  };
  it('unknown suite lists the defined ones', () => {
    expectUsage(() => resolveSuite(miniConfig, 'nope', 'gate-suites.json'), /^--suite: unknown gate suite 'nope'; defined in gate-suites\.json: mini, mini-planted$/);
  });
  it('a config without suites, or an unreadable one', async () => {
    expectUsage(() => resolveSuite({}, 'mini', 'x.json'), /x\.json: no "suites" object/);
    expect(await usageError(loadSuite('quick', '/nonexistent/gate-suites.json'))).toMatch(/cannot read it; run from the repository root or pass --config/);
  });
  it('bad runs and metrics name the suite, the entry and the field', () => {
    const config = (patch: (c: typeof miniConfig) => void): typeof miniConfig => {
      const copy = structuredClone(miniConfig);
      patch(copy);
      return copy;
    };
    expectUsage(() => resolveSuite(config((c) => (c.suites.mini.runs.fast.rate = 'fast')), 'mini', 't.json'), /t\.json: suite 'mini', run 'fast': --rate: 'fast' is not a rate/);
    expectUsage(() => resolveSuite(config((c) => (c.suites.mini.runs.fast.mode = 'continuous,trigger')), 'mini', 't.json'), /run 'fast': "mode" must be one mode/);
    expectUsage(() => resolveSuite(config((c) => (c.suites.mini.metrics[0].kind = 'speed')), 'mini', 't.json'), /metrics\[0\]: "kind" must be one of throughput-ratio, throughput-vs-fused/);
    expectUsage(() => resolveSuite(config((c) => (c.suites.mini.metrics[0].run = 'ghost')), 'mini', 't.json'), /"run" 'ghost' is not a run of the suite; defined: fast, light/);
    expectUsage(() => resolveSuite(config((c) => (c.suites.mini.trials = 2)), 'mini', 't.json'), /trials must be a whole number ≥ 3/);
    expectUsage(() => resolveSuite(config((c) => ((c.suites['mini-planted'] as { extends: string }).extends = 'mini-planted')), 'mini-planted', 't.json'), /cycle/);
  });
  it('flags: bad --trials and unknown flags', () => {
    expect(() => parseGateOptions(['--trials', '2'])).toThrow(/--trials: '2' must be a whole number from 3 to 100/);
    expect(() => parseGateOptions(['--trials', 'many'])).toThrow(/--trials: 'many' must be a whole number/);
    expect(() => parseGateOptions(['--frobnicate'])).toThrow(/Unknown option '--frobnicate'.*streambench gate --help/);
    expect(parseGateOptions(['--suite', 'quick-planted'])).toMatchObject({ suite: 'quick-planted', baseline: join('baselines', 'quick-planted.json'), updateBaseline: false });
  });
});

describe('the committed gate config and baseline', () => {
  it('gate-suites.json defines quick and quick-planted, and baselines/quick.json matches quick', async () => {
    const quick = await loadSuite('quick');
    const planted = await loadSuite('quick-planted');
    expect(planted.metrics.map((m) => m.name)).toEqual(quick.metrics.map((m) => m.name));
    expect([...planted.runs.values()].filter((run) => run.cpuCostScale !== 1).map((run) => [run.id, run.cpuCostScale])).toEqual([['heavy-overload-continuous', 1.25], ['heavy-overload-trigger', 1.25], ['heavy-light-continuous', 1.25]]);
    await expect(readBaseline('baselines/quick.json', quick)).resolves.toMatchObject({ suite: 'quick' });
  });
});

describe('streambench gate: bad input on the command line', () => {
  const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');
  it.each([
    [['gate', '--suite', 'nope'], /^streambench: --suite: unknown gate suite 'nope'; defined in gate-suites\.json: quick, quick-planted$/],
    [['gate', '--baseline', '/nonexistent/b.json'], /no such file; record it with `streambench gate --suite quick --baseline \/nonexistent\/b\.json --update-baseline`/],
    [['gate', '--trials', '1'], /--trials: '1' must be a whole number from 3 to 100/],
  ])('%j exits 2 with one line', (args, message) => {
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
