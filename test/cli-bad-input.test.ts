/**
 * Bad input gets one clear message naming the flag and what is accepted, exit code 2, no
 * stack trace, and nothing written. Runs the built CLI as a user would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string; out: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'streambench-cli-')), 'out');
  const result = spawnSync(process.execPath, [cli, ...args, '--out', out], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, out };
}

describe('streambench run: bad input', () => {
  it.each([
    [['run', '--scenario', 'nope'], /--scenario: unknown scenario 'nope'; accepted: burst, cache, fault, heavy, heavy-2x, json-ingest, nexmark-q0, nexmark-q1, nexmark-q2, nexmark-q3, nexmark-q5, nexmark-q7, nexmark-q8, priority, slow-sink, spill, steady, windowed, wordcount, or a workload file \(\.json, \.yaml, \.yml\)/],
    [['run', '--mode', 'batch'], /--mode: unknown mode 'batch'; accepted: micro-batch, trigger, continuous/],
    [['run', '--rate', 'fast'], /--rate: 'fast' is not a rate; use records\/s like 1000, 5k or 2\.5M/],
    [['run', '--rate', '0'], /--rate: must be greater than zero/],
    [['run', '--duration', '-3s'], /--duration: its value starts with '-'; values must be positive/],
    [['run', '--duration=-3s'], /--duration: '-3s' is not a duration/],
    [['run', '--duration', '0s'], /--duration: must be greater than zero/],
    [['run', '--interval', '10 parsecs'], /--interval: '10 parsecs' is not a duration/],
    [['run', '--workers', '0'], /--workers: '0' must be a whole number from 1 to 64/],
    [['run', '--trials', '1.5'], /--trials: '1.5' must be a whole number/],
    [['run', '--frobnicate'], /Unknown option '--frobnicate'.*streambench run --help/],
    [['explode'], /unknown command 'explode'; accepted: run, sweep/],
    [['sweep', '--slo', 'p98<5ms'], /--slo: 'p98<5ms' is not an SLO/],
    [['sweep', '--knob', 'speed', '--values', '1'], /--knob: unknown knob 'speed'; accepted: interval, max-batch, workers, flush-timeout/],
    [['sweep', '--knob', 'interval'], /--knob and --values go together/],
    [['sweep', '--budget', 'soon'], /--budget: 'soon' is not a positive duration/],
    [['sweep', '--rates', '1k,lots'], /--rates: 'lots' is not a positive rate/],
    [['sweep', '--mode', 'batch'], /--mode: unknown mode 'batch'/],
  ])('%j', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(result.out)).toBe(false);
  });

  it('prints help with every flag and its default', () => {
    const result = run(['run', '--help']);
    expect(result.status).toBe(0);
    for (const flag of ['--scenario', '--mode', '--rate', '--duration', '--warmup', '--trials', '--interval', '--workers', '--seed', '--out', '--in-process']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('[default: 100ms]');
  });
});
