/**
 * Modes of one's own, through the real CLI as a user runs them: a plugin module in a folder
 * outside the repository runs beside the built-in modes in isolated trials, on the same source,
 * sink and digest check, shows in the table, the CSV and the HTML, and can be swept; a bad
 * plugin gets one clear message and exit 2 (3 when its output is wrong), never a hang or a
 * stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import { loadSuite } from '../reports/gate/suite.js';
import { paramsFor } from '../runner/plan-trials.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');
const library = pathToFileURL(compiledFile(new URL('../commands/index.ts', import.meta.url).href, './index.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'streambench-plugins-'));

/**
 * A plugin module: a per-record engine on the trial's main thread built from the public
 * library API. `transform` is the JavaScript expression of the value it emits for each input
 * record (a keyed count after map and filter, as `steady` declares, when it is right).
 */
function pluginSource(id: string, options: { startThrows?: boolean; neverCommits?: boolean; wrongOutput?: boolean } = {}): string {
  return `
import { allCommitted, defineMode, openPartitions, pollUntil, waitForInput } from '${library}';
export default defineMode({
  id: '${id}', summary: 'a test plugin', order: 20, cadence: 'per-record', delivery: 'at-least-once',
  settings: [], knobs: {}, label: () => 'plain loop',
  create(context) {
    let partitions = [], running = true, loop;
    const counts = new Int32Array(context.task.keys);
    return {
      async start() {
        ${options.startThrows ? "throw new Error('cannot connect to the cluster');" : ''}
        partitions = openPartitions(context);
        loop = (async () => {
          while (running) {
            let read = 0;
            for (const p of partitions) read += p.poll((t, key, value) => {
              const mapped = (value * 3 + 7) % 1000003;
              if (mapped % 4 !== 0) p.output(t, key, ${options.wrongOutput ? 'counts[key]++' : '++counts[key]'});
              ${options.neverCommits ? '' : 'p.emit();'}
            }, 1024);
            await (read > 0 ? new Promise((r) => setImmediate(r)) : waitForInput(context, partitions, 20));
          }
        })();
      },
      drain: (deadlineUs) => ${options.neverCommits ? 'new Promise(() => {})' : 'pollUntil(context.clock, () => allCommitted(context.log), deadlineUs)'},
      async stop() { running = false; await loop; return { partitions: partitions.map((p) => p.close()) }; },
      async terminate() { running = false; },
    };
  },
});
`;
}

function writePlugin(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

function run(args: string[], out = join(mkdtempSync(join(tmpdir(), 'streambench-plugin-out-')), 'out')) {
  const result = spawnSync(process.execPath, [cli, ...args, '--out', out], { encoding: 'utf8', timeout: 120_000, cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, out };
}

const LIGHT = ['--rate', '5k', '--duration', '0.6s', '--warmup', '0.2s', '--quiet'];

describe('a plugin mode', () => {
  it('runs beside the built-in modes with the same output, and shows in the table, CSV and HTML', () => {
    writePlugin('plain.mjs', pluginSource('plain-loop'));
    const result = run(['run', '--mode', 'micro-batch,./plain.mjs,continuous', ...LIGHT]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/plain-loop plain loop/);
    expect(result.stdout).toMatch(/✓ match/);
    // The main table's rows (the resources table under it lists the runs again)
    const modesInOrder = result.stdout.split('\nresources:')[0].split('\n').flatMap((line) => /(micro-batch|continuous|plain-loop)/.exec(line)?.[1] ?? []);
    expect(modesInOrder).toEqual(['micro-batch', 'continuous', 'plain-loop']); // its display order (20) puts it last
    expect(readFileSync(join(result.out, 'summary.csv'), 'utf8')).toMatch(/plain-loop/);
    expect(readFileSync(join(result.out, 'index.html'), 'utf8')).toMatch(/plain-loop/);
    const file = JSON.parse(readFileSync(join(result.out, 'results.json'), 'utf8'));
    expect(file.digestChecks[0].verdict).toBe('match');
  });

  it('can be swept', () => {
    writePlugin('swept.mjs', pluginSource('swept-loop'));
    const result = run(['sweep', '--mode', './swept.mjs', '--rates', '2k,4k', '--duration', '0.6s', '--warmup', '0.2s', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/swept-loop/);
    const file = JSON.parse(readFileSync(join(result.out, 'results.json'), 'utf8'));
    expect(file.sweeps.map((s: { mode: string }) => s.mode)).toEqual(['swept-loop']);
    expect(file.sweeps[0].points).toHaveLength(2);
  });
});

describe('a plugin mode in a gate suite', () => {
  it('loads from a path relative to the suites file and becomes the run\'s mode', async () => {
    writePlugin('gated.mjs', pluginSource('gated-loop'));
    const config = join(dir, 'suites.json');
    const suites = { suites: { mine: { flags: { duration: '1s' }, runs: { light: { scenario: 'steady', mode: './gated.mjs', rate: '1k' } }, metrics: [{ kind: 'latency-vs-handoff', run: 'light' }] } } };
    writeFileSync(config, JSON.stringify(suites));
    const suite = await loadSuite('mine', config);
    const run = suite.runs.get('light')!;
    expect(run.mode).toBe('gated-loop');
    expect(paramsFor(run.mode, run.options)).toEqual({ workers: 2 });
    writeFileSync(config, JSON.stringify({ suites: { mine: { ...suites.suites.mine, runs: { light: { ...suites.suites.mine.runs.light, mode: './gone.mjs' } } } } }));
    await expect(loadSuite('mine', config)).rejects.toThrow(/suites\.json: suite 'mine', run 'light': --mode \.\/gone\.mjs: no such file/);
  });
});

describe('a bad plugin', () => {
  it.each([
    ['a missing file', () => './absent.mjs', /--mode \.\/absent\.mjs: no such file .*; give the path of an ES module that exports a mode descriptor/],
    ['a module without a mode', () => (writePlugin('none.mjs', 'export const answer = 42;\n'), './none.mjs'), /--mode \.\/none\.mjs: the module exports no mode; add `export default defineMode/],
    ['a malformed descriptor', () => (writePlugin('shape.mjs', "export default { id: 'Bad Id', summary: 'x' };\n"), './shape.mjs'), /--mode \.\/shape\.mjs: its mode descriptor is malformed: "id" must be a lower-case name/],
    ['a module that throws on import', () => (writePlugin('broken.mjs', "throw new Error('missing licence key');\n"), './broken.mjs'), /--mode \.\/broken\.mjs: the module failed to load: missing licence key/],
    ['an id taken by a built-in mode', () => (writePlugin('taken.mjs', pluginSource('trigger')), './taken.mjs'), /--mode \.\/taken\.mjs: its id 'trigger' is already a mode's \(built in\)/],
  ])('%s: exit 2 with one line, nothing written', (_name, make, message) => {
    const result = run(['run', '--mode', make(), ...LIGHT]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(result.out)).toBe(false);
  });

  it('one run on a scenario its engine does not handle (a slow sink, faults): exit 2 before any trial', () => {
    writePlugin('limited.mjs', pluginSource('limited-loop'));
    for (const scenario of ['slow-sink', 'fault']) {
      const result = run(['run', '--scenario', scenario, '--mode', './limited.mjs', ...LIGHT, '--duration', '3s']);
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toMatch(new RegExp(`^streambench: --mode limited-loop: its engine does not handle (slow-sink|faults), which scenario '${scenario}' needs`));
      expect(existsSync(result.out)).toBe(false);
    }
  });

  it('runs a record query (Nexmark q3) when it handles record-queries, with the built-in modes\' digest; refused when it does not', () => {
    writePlugin('records.mjs', `
import { allCommitted, defineMode, openPartitions, pollUntil, waitForInput } from '${library}';
export default defineMode({
  id: 'record-loop', summary: 'a test plugin running record queries', order: 21, cadence: 'per-record', delivery: 'at-least-once',
  settings: [], knobs: {}, label: () => 'record loop', handles: ['record-queries'],
  create(context) {
    let partitions = [], queries = [], finished = [], running = true, loop;
    return {
      async start() {
        partitions = openPartitions(context);
        queries = partitions.map((p) => p.openQuery());
        finished = partitions.map(() => false);
        loop = (async () => {
          while (running) {
            let read = 0;
            partitions.forEach((p, i) => {
              read += p.poll((t, key, value, offset) => queries[i].push(offset), 1024);
              if (!finished[i] && p.exhausted) { queries[i].finish(); finished[i] = true; }
              p.emit();
            });
            await (read > 0 ? new Promise((r) => setImmediate(r)) : waitForInput(context, partitions, 20));
          }
        })();
      },
      drain: (deadlineUs) => pollUntil(context.clock, () => allCommitted(context.log), deadlineUs),
      async stop() { running = false; await loop; return { partitions: partitions.map((p) => p.close()) }; },
      async terminate() { running = false; },
    };
  },
});
`);
    const result = run(['run', '--scenario', 'nexmark-q3', '--mode', 'continuous,./records.mjs', ...LIGHT]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const file = JSON.parse(readFileSync(join(result.out, 'results.json'), 'utf8'));
    expect(file.digestChecks[0].verdict).toBe('match');
    expect(file.runs.every((r: { recordsOut: number }) => r.recordsOut > 0)).toBe(true);
    writePlugin('scalar-only.mjs', pluginSource('scalar-only'));
    const refused = run(['run', '--scenario', 'nexmark-q3', '--mode', './scalar-only.mjs', ...LIGHT]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^streambench: --mode scalar-only: its engine does not handle record-queries, which scenario 'nexmark-q3' needs/);
  });

  it('one that throws at start: exit 2, naming the mode and its error', () => {
    writePlugin('start.mjs', pluginSource('start-throws', { startThrows: true }));
    const result = run(['run', '--mode', './start.mjs', ...LIGHT]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/mode 'start-throws' failed to start: cannot connect to the cluster/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('one that never drains: cut at --drain-timeout, exit 2 saying it committed nothing', () => {
    writePlugin('stuck.mjs', pluginSource('stuck', { neverCommits: true }));
    const started = Date.now();
    const result = run(['run', '--mode', './stuck.mjs', '--drain-timeout', '1s', ...LIGHT]);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/mode 'stuck' \(.*stuck\.mjs\) never drained: it committed none of the \d+ records/);
  });

  it('one whose output is wrong: the digest check fails, exit 3', () => {
    writePlugin('wrong.mjs', pluginSource('off-by-one', { wrongOutput: true }));
    const result = run(['run', '--mode', 'micro-batch,./wrong.mjs', ...LIGHT]);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/OUTPUT MISMATCH in steady/);
  });
});
