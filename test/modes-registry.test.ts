/**
 * A mode is one descriptor: registering one through the registry alone (no other file
 * touched) makes it a mode the CLI parses, the runner plans and runs, and the table, the CSV
 * and the HTML palette show in its display order.
 */
import { describe, expect, it } from 'vitest';
import { createMicroBatchEngine } from '../engines/micro-batch.js';
import { modes, type ModeDescriptor } from '../engines/index.js';
import { descriptorProblem } from '../engines/mode.js';
import { summaryCsv } from '../reports/csv.js';
import { ModePalette } from '../reports/html/palette.js';
import { summarizeRuns } from '../reports/summary.js';
import { renderTable } from '../reports/table.js';
import { paramsFor, planTrials } from '../runner/plan-trials.js';
import { parseRunOptions, recordedOptions, runHelp, type RunOptions } from '../runner/run-options.js';
import { runTrial } from '../runner/run-trial.js';
import { knobApplies, knobNames } from '../runner/sweep/knobs.js';

/** A trivial mode: DStreams with a batch interval of its own setting, shown between micro-batch and trigger. */
const quickTick: ModeDescriptor = {
  id: 'quick-tick',
  summary: 'micro-batch on a short grid (a test mode)',
  order: 0.5,
  cadence: 'fixed-grid',
  delivery: 'exactly-once',
  settings: [{ flag: 'tick', option: 'tickMs', param: 'intervalMs', kind: 'interval-ms', default: '20ms', help: 'quick-tick batch interval' }],
  knobs: { tick: 'tick' },
  label: (params) => `tick=${params.intervalMs}ms`,
  create: createMicroBatchEngine,
};

describe('the mode registry', () => {
  it('lists the built-in modes in display order, each a well-formed descriptor', () => {
    expect(modes.all().map((mode) => mode.id)).toEqual(['micro-batch', 'trigger', 'continuous']);
    for (const mode of modes.all()) expect(descriptorProblem(mode)).toBeUndefined();
    expect(descriptorProblem({ ...quickTick, cadence: 'sometimes' })).toMatch(/"cadence" must be/);
    expect(descriptorProblem({ ...quickTick, create: undefined })).toMatch(/"create" must be a function/);
    expect(() => modes.register(modes.get('trigger')!)).toThrow(/already registered/);
  });

  it('a registered mode is parsed, planned, run, and shown in the table and the CSV in its order', async () => {
    modes.register(quickTick);
    expect(runHelp()).toMatch(/--tick <v> +quick-tick batch interval \[default: 20ms\]/);
    expect(knobNames()).toContain('tick');
    expect(knobApplies('tick', 'quick-tick')).toBe(true);

    const argv = ['--mode', 'continuous,quick-tick,micro-batch', '--tick', '40ms', '--rate', '4k', '--duration', '0.8s', '--warmup', '0.2s', '--in-process', '--quiet'];
    const options = parseRunOptions(argv) as RunOptions;
    expect(paramsFor('quick-tick', options)).toEqual({ workers: 2, intervalMs: 40 });
    expect(recordedOptions(options)).toMatchObject({ tickMs: 40, intervalMs: 100, checkpointMs: 1000 });

    const specs = planTrials(options, 50).map((spec) => ({ ...spec, logCapacity: 1 << 16 }));
    const runs = [];
    for (const spec of specs) runs.push(await runTrial(spec));
    for (const run of runs) expect(run.status).toBe('ok');
    expect(new Set(runs.map((run) => run.outputDigest)).size).toBe(1); // the same output as the built-in modes

    const summaries = summarizeRuns(runs);
    const table = renderTable(summaries, []);
    const rows = table.split('\n').filter((line) => /micro-batch|quick-tick|continuous/.test(line)).map((line) => /(micro-batch|quick-tick|continuous)/.exec(line)![1]);
    expect(rows).toEqual(['micro-batch', 'quick-tick', 'continuous']);
    expect(table).toMatch(/quick-tick tick=40ms/);
    const csv = summaryCsv(summaries);
    expect(csv.split('\n').some((line) => line.includes('quick-tick'))).toBe(true);

    const palette = new ModePalette();
    expect(palette.color('quick-tick')).not.toBe(palette.color('micro-batch'));
    expect(palette.color('trigger')).toBe('#D55E00'); // the built-in colours keep their order among registered modes
  });
});
