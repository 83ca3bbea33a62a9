/**
 * The library API, as a notebook or a script uses it: `run` and `sweep` resolve with the
 * objects results.json holds and write nothing unless `out` is given; bad flags reject with
 * the CLI's message; `report` renders results objects into one page.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineScenario, report, run, sweep, toArgv, UsageError } from '../commands/index.js';

const LIGHT = { rate: '4k', duration: '0.6s', warmup: '0.2s', 'in-process': true };

describe('the library API', () => {
  it('turns flag objects into a command line', () => {
    expect(toArgv({ rate: '1k', workers: 4, quiet: true, 'in-process': false, out: undefined })).toEqual(['--rate', '1k', '--workers', '4', '--quiet']);
  });

  it('run resolves with the results of every mode, writing nothing without out', async () => {
    const cwdBefore = existsSync('reports/out/results.json') ? readFileSync('reports/out/results.json', 'utf8') : undefined;
    const { results, exitCode, problems, written } = await run({ mode: 'micro-batch,continuous', ...LIGHT });
    expect(exitCode).toBe(0);
    expect(problems).toEqual([]);
    expect(written).toEqual([]);
    expect(results.schema).toBe('streambench/results');
    expect(results.runs.map((r) => r.mode)).toEqual(['micro-batch', 'continuous']);
    expect(results.digestChecks[0].verdict).toBe('match');
    expect(results.options).toMatchObject({ intervalMs: 100, checkpointMs: 1000, workers: 2 });
    const cwdAfter = existsSync('reports/out/results.json') ? readFileSync('reports/out/results.json', 'utf8') : undefined;
    expect(cwdAfter).toBe(cwdBefore);
  });

  it('sweep resolves with the sweeps, and writes the reports when given out; report renders results objects', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'streambench-api-')), 'sweep');
    const { rate: _rate, ...probe } = LIGHT;
    const { results, written } = await sweep({ mode: 'trigger', rates: '2k,4k', ...probe, out });
    expect(results.sweeps?.[0]).toMatchObject({ mode: 'trigger', probes: 2 });
    expect(written).toContain(join(out, 'results.json'));
    const page = await report([results, join(out, 'results.json')], join(out, 'again'));
    expect(readFileSync(page, 'utf8')).toMatch(/<html/);
  });

  it('defineScenario makes a workload object a scenario that runs by name, in each trial\'s own process', async () => {
    const scenario = defineScenario({
      name: 'notebook-ramp',
      description: 'a ramp with skewed keys, defined in code',
      profile: { kind: 'ramp', rate: 2000, toRate: 6000, durationSec: 0.8 },
      keys: { count: 200, distribution: 'zipf', exponent: 1.1 },
      valueRange: 100_000,
      pipeline: [{ op: 'map', multiply: 5, add: 1, modulo: 99_991 }, { op: 'keyedCount' }],
    });
    expect(scenario.name).toBe('notebook-ramp');
    const { results, exitCode } = await run({ scenario: 'notebook-ramp', mode: 'trigger,continuous', rate: '2k', duration: '0.6s', warmup: '0.2s' });
    expect(exitCode).toBe(0);
    expect(results.runs.map((r) => r.scenario)).toEqual(['notebook-ramp', 'notebook-ramp']);
    expect(results.digestChecks[0].verdict).toBe('match');
    expect(() => defineScenario({ name: 'steady', description: 'x' })).toThrow(/defineScenario\(steady\)/);
    expect(() => defineScenario({ ...scenario, name: 'bad', valueRange: -1 } as unknown as Record<string, unknown>)).toThrow(UsageError);
  });

  it('bad flags reject with the CLI\'s one-line message', async () => {
    await expect(run({ rate: 'fast' })).rejects.toThrow(UsageError);
    await expect(run({ rate: 'fast' })).rejects.toThrow(/--rate: 'fast' is not a rate/);
    await expect(run({ mode: './nowhere.mjs' })).rejects.toThrow(/--mode \.\/nowhere\.mjs: no such file/);
  });
});
