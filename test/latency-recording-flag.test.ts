/**
 * `--latency-recording on|off`: parsed and checked with `run`'s flags, recorded with the
 * options, carried in each TrialSpec to the partition tasks. Off, a real trial under every
 * mode gives the same output (the digest of every record out, and their number) as on, but its latency histograms and
 * output timeline stay empty: the instrumentation is what is left out, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { planTrials } from '../runner/plan-trials.js';
import { parseRunOptions, recordedOptions, runHelp, type RunOptions } from '../runner/run-options.js';
import { runTrial } from '../runner/run-trial.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

function parse(argv: string[]): RunOptions {
  const options = parseRunOptions(argv);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('--latency-recording', () => {
  it('is on by default, off on request, recorded with the options and in every trial (absent when on)', () => {
    expect(parse([]).latencyRecording).toBe(true);
    const off = parse(['--latency-recording', 'off', '--rate', '1k,2k']);
    expect(off.latencyRecording).toBe(false);
    expect(recordedOptions(off).latencyRecording).toBe(false);
    expect(planTrials(off, 50).every((spec) => spec.latencyRecording === false)).toBe(true);
    expect(planTrials(parse(['--rate', '1k']), 50).every((spec) => !('latencyRecording' in spec))).toBe(true);
    expect(runHelp()).toMatch(/--latency-recording <v>\s+on, or off.*\[default: on\]/);
  });

  it('rejects anything but on and off, naming what it accepts', () => {
    expect(() => parse(['--latency-recording', 'some'])).toThrow("--latency-recording: unknown setting 'some'; accepted: on, off");
  });
});

describe.each(ALL_MODES)('a %s trial with latency recording off', (mode, params) => {
  it('has the output of one with it on, and no latency figures', async () => {
    const on = await runTrial(smallTrial('steady', mode, params, { durationSec: 0.4, warmupSec: 0.1 }));
    const off = await runTrial(smallTrial('steady', mode, params, { durationSec: 0.4, warmupSec: 0.1, latencyRecording: false }));
    expect(on.status).toBe('ok');
    expect(off.status).toBe('ok');
    expect(off.outputDigest).toBe(on.outputDigest);
    expect(on.latency.eventTime.count).toBeGreaterThan(0);
    expect(off.latency.eventTime.count).toBe(0);
    expect(off.latency.processingTime.count).toBe(0);
    expect(on.timeline.output.count.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(off.timeline.output.count.reduce((a, b) => a + b, 0)).toBe(0);
  });
});
