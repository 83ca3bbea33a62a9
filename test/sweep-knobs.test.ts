import { describe, expect, it } from 'vitest';
import { parseRunOptions, type RunOptions } from '../runner/run-options.js';
import { applyKnob, fitToInterval, knobApplies, parseKnob, planJobs } from '../runner/sweep/knobs.js';
import { UsageError } from '../primitives/usage-error.js';

const base = parseRunOptions(['--duration', '2s', '--warmup', '0.5s', '--drain-timeout', '3s']) as RunOptions;

describe('knob sweeps', () => {
  it('applies each knob to the modes it concerns', () => {
    expect(['micro-batch', 'trigger', 'continuous'].filter((m) => knobApplies('interval', m))).toEqual(['micro-batch', 'trigger']);
    expect(['micro-batch', 'trigger', 'continuous'].filter((m) => knobApplies('max-batch', m))).toEqual(['trigger']);
    expect(['micro-batch', 'trigger', 'continuous'].filter((m) => knobApplies('workers', m))).toEqual(['continuous']);
    expect(['micro-batch', 'trigger', 'continuous'].filter((m) => knobApplies('flush-timeout', m))).toEqual(['continuous']);
  });

  it('plans one search per setting, and the defaults for modes the knob does not concern', () => {
    const jobs = planJobs(base, parseKnob('interval', '10ms,100ms'));
    expect(jobs.map((j) => `${j.mode} ${j.setting}`)).toEqual(['micro-batch interval=10ms', 'micro-batch interval=100ms', 'trigger interval=10ms', 'trigger interval=100ms', 'continuous ']);
    expect(jobs[0].options.modeSettings.intervalMs).toBe(10);
    expect(jobs[2].options.modeSettings.triggerIntervalMs).toBe(10);
    expect(jobs[2].options.modeSettings.intervalMs).toBe(100); // trigger's setting does not touch micro-batch's interval
  });

  it('sets max-batch, workers and flush-timeout, validating with run\'s parser', () => {
    expect(applyKnob(base, 'max-batch', '50000', 'trigger').modeSettings.maxRecordsPerBatch).toBe(50_000);
    expect(applyKnob(base, 'workers', '4', 'continuous').workers).toBe(4);
    expect(applyKnob(base, 'flush-timeout', '500us', 'continuous').modeSettings.flushTimeoutUs).toBe(500);
    expect(applyKnob(base, 'interval', '0ms', 'trigger').modeSettings.triggerIntervalMs).toBe(0);
    expect(() => applyKnob(base, 'interval', '0ms', 'micro-batch')).toThrow(/--values: must be greater than zero, got '0ms' \(--knob interval, mode micro-batch\)/);
    expect(() => applyKnob(base, 'max-batch', '50k', 'trigger')).toThrow(UsageError);
  });

  it('parses --knob/--values with clear errors', () => {
    expect(parseKnob(undefined, undefined)).toBeUndefined();
    expect(parseKnob('workers', '1, 2,4')).toEqual({ name: 'workers', values: ['1', '2', '4'] });
    expect(() => parseKnob('speed', '1')).toThrow(/--knob: unknown knob 'speed'; accepted: interval, max-batch, workers, flush-timeout/);
    expect(() => parseKnob('interval', undefined)).toThrow(/--knob and --values go together/);
    expect(() => parseKnob(undefined, '1,2')).toThrow(/--knob and --values go together/);
    expect(() => parseKnob('interval', ',')).toThrow(/--values: empty/);
    expect(() => parseKnob('interval', '10ms,soon')).toThrow(/--values: 'soon' is not a duration/);
  });

  it('stretches the window to 4 batch intervals and the drain to 2 intervals + 1 s for long intervals', () => {
    const long = applyKnob(base, 'interval', '2s', 'micro-batch');
    expect(fitToInterval('micro-batch', long)).toMatchObject({ durationSec: 8, drainTimeoutSec: 5 });
    expect(fitToInterval('micro-batch', base)).toMatchObject({ durationSec: 2, drainTimeoutSec: 3 }); // 100 ms: unchanged
    expect(fitToInterval('trigger', base)).toBe(base); // back to back: no interval
    expect(fitToInterval('continuous', long)).toBe(long);
  });
});
