/**
 * The priority flags: bad values get one message naming the flag, exit code 2 and nothing
 * written (the built CLI, as a user runs it); good values plan one trial per lane setting
 * for scenarios with a priority class only (with a slow sink too, when `--sink-*` asks for
 * one), and raise `burst`'s duration to its minimum.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import { planTrials } from '../runner/plan-trials.js';
import { parseRunOptions, type RunOptions } from '../runner/run-options.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

describe('streambench run: bad priority flags', () => {
  it.each([
    [['--scenario', 'priority', '--priority-fraction', '0'], /--priority-fraction: '0' must be a fraction greater than 0 and at most 1, e\.g\. 0\.02/],
    [['--scenario', 'priority', '--priority-fraction', '1.5'], /--priority-fraction: '1\.5' must be a fraction/],
    [['--scenario', 'priority', '--priority-fraction', 'some'], /--priority-fraction: 'some' must be a fraction/],
    [['--scenario', 'priority', '--priority-fraction', '5%'], /--priority-fraction: '5%' must be a fraction/],
    [['--scenario', 'priority', '--priority-lane', 'fast'], /--priority-lane: unknown setting 'fast'; accepted: off, on, off,on/],
    [['--scenario', 'steady', '--priority-lane', 'on'], /--priority-lane: none of the scenarios \(steady\) has a priority class; add one, e\.g\. --scenario priority/],
    [['--scenario', 'steady,burst', '--priority-fraction', '0.1'], /--priority-fraction: none of the scenarios \(steady, burst\) has a priority class/],
  ])('%j', (args, message) => {
    const out = join(mkdtempSync(join(tmpdir(), 'streambench-cli-')), 'out');
    const result = spawnSync(process.execPath, [cli, 'run', ...args, '--out', out], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('planning priority and burst trials', () => {
  const plan = (argv: string[]) => planTrials(parseRunOptions(argv) as RunOptions, 1);

  it('runs scenarios with a priority class once per lane setting, others once without a lane', () => {
    const specs = plan(['--scenario', 'steady,priority', '--mode', 'trigger', '--rate', '1k', '--priority-lane', 'off,on', '--priority-fraction', '0.1']);
    expect(specs.map((s) => [s.scenario, s.params.priorityLane ?? false, s.priorityFraction])).toEqual([
      ['steady', false, undefined],
      ['priority', false, 0.1],
      ['priority', true, 0.1],
    ]);
  });

  it('gives a scenario with a priority class the slow sink of the --sink-* flags, with the lane off and on', () => {
    const specs = plan(['--scenario', 'priority', '--mode', 'continuous', '--rate', '1k', '--priority-lane', 'off,on', '--sink-capacity', '1000', '--sink-drop', 'newest']);
    expect(specs.map((s) => [s.scenario, s.params.priorityLane ?? false, s.sink?.capacityPerSec, s.sink?.drop])).toEqual([
      ['priority', false, 1000, 'newest'],
      ['priority', true, 1000, 'newest'],
    ]);
  });

  it('raises burst\'s duration to its minimum, and keeps a longer one', () => {
    expect(plan(['--scenario', 'burst,steady', '--mode', 'continuous', '--rate', '1k']).map((s) => s.durationSec)).toEqual([8, 3]);
    expect(plan(['--scenario', 'burst', '--mode', 'continuous', '--rate', '1k', '--duration', '12s'])[0].durationSec).toBe(12);
  });
});
