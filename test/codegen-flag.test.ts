/**
 * `--codegen on|off`: parsed and checked with `run`'s flags, recorded with the options in
 * results.json, carried in each TrialSpec to the partition tasks — which, with
 * STREAMBENCH_CODEGEN_DUMP set, write the sources they generate (on) or none (off), on real
 * worker threads.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CODEGEN_DUMP_ENV } from '../engines/codegen/compile-source.js';
import { planTrials } from '../runner/plan-trials.js';
import { parseRunOptions, recordedOptions, runHelp, type RunOptions } from '../runner/run-options.js';
import { runTrial } from '../runner/run-trial.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

function parse(argv: string[]): RunOptions {
  const options = parseRunOptions(argv);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('--codegen', () => {
  it('is on by default, off on request, and recorded with the options', () => {
    expect(parse([]).codegen).toBe(true);
    expect(parse(['--codegen', 'on']).codegen).toBe(true);
    const off = parse(['--codegen', 'off']);
    expect(off.codegen).toBe(false);
    expect(recordedOptions(off).codegen).toBe(false);
    expect(recordedOptions(parse([])).codegen).toBe(true);
    expect(runHelp()).toMatch(/--codegen <v>\s+whole-stage code generation.*\[default: on\]/);
  });

  it('rejects anything but on and off, naming what it accepts', () => {
    expect(() => parse(['--codegen', 'fast'])).toThrow("--codegen: unknown setting 'fast'; accepted: on, off");
  });

  it('goes into every trial of the run (absent when on)', () => {
    const off = planTrials(parse(['--codegen', 'off', '--rate', '1k,2k']), 50);
    expect(off.length).toBe(6);
    expect(off.every((spec) => spec.codegen === false)).toBe(true);
    expect(planTrials(parse(['--rate', '1k']), 50).every((spec) => !('codegen' in spec))).toBe(true);
  });
});

describe(`the partition tasks of a trial, with ${CODEGEN_DUMP_ENV}`, () => {
  const dirs: string[] = [];
  afterEach(() => {
    delete process.env[CODEGEN_DUMP_ENV];
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([true, false])('codegen %s: write their generated sources (or none) from their worker threads', async (codegen) => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-trial-'));
    dirs.push(dir);
    process.env[CODEGEN_DUMP_ENV] = dir;
    const [mode, params] = ALL_MODES[2];
    const run = await runTrial(smallTrial('steady', mode, params, { durationSec: 0.3, warmupSec: 0.1, ...(codegen ? {} : { codegen: false }) }));
    expect(run.status).toBe('ok');
    const files = readdirSync(dir);
    if (!codegen) {
      expect(files).toEqual([]);
      return;
    }
    // One source for both partitions (bound values differ, the source does not); each thread writes it once.
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^map-filter-keyedCount\.head\.[0-9a-f]{10}\.js$/);
    expect(readFileSync(join(dir, files[0]), 'utf8')).toContain('% 1000003');
  });
});
