/**
 * Workload files through the real CLI: a malformed file gets one line per problem naming the
 * file, the field's path, what was found and what is accepted; exit code 2, no stack trace,
 * nothing written. `streambench scenarios` lists the built-ins and validates files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');
const dir = mkdtempSync(join(tmpdir(), 'streambench-workload-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cliRun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000, cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A valid workload, as an object to spoil. */
function valid(): Record<string, any> {
  return {
    name: 'mine',
    description: 'a test workload',
    profile: { kind: 'constant', rate: 1000 },
    keys: { count: 100 },
    valueRange: 1000,
    pipeline: [
      { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 },
      { op: 'filter', dropMultiplesOf: 4 },
      { op: 'keyedCount' },
    ],
  };
}

function spoiled(change: (w: Record<string, any>) => void): string {
  const workload = valid();
  change(workload);
  return JSON.stringify(workload, null, 2);
}

/** [file name, its text, the problem lines expected (after `streambench: <file>: `)]. */
const MALFORMED: [string, string, RegExp[]][] = [
  ['operator.json', spoiled((w) => (w.pipeline[2] = { op: 'frobnicate' })), [/^pipeline\[2\]\.op: found 'frobnicate'; accepted: map, filter, flatMap, cpuCost, keyedCount, keyedSum, tumblingWindow, branch$/]],
  ['type.json', spoiled((w) => (w.keys.count = 'many')), [/^keys\.count: found 'many'; accepted: a whole number from 1 to 16777216$/]],
  ['missing.json', spoiled((w) => delete w.profile), [/^profile: missing; accepted: an object with "kind": constant, step, burst, ramp or sine/]],
  ['missing-setting.json', spoiled((w) => delete w.pipeline[0].modulo), [/^pipeline\[0\]\.modulo: missing; accepted: a whole number from 1 to 2147483647$/]],
  ['negative.json', spoiled((w) => (w.profile.rate = -5)), [/^profile\.rate: found -5; accepted: a rate in records\/s, greater than 0/]],
  ['kind.yaml', 'name: mine\ndescription: x\nprofile: { kind: zigzag, rate: 5 }\nkeys: { count: 3 }\nvalueRange: 10\npipeline: []\n', [/^profile\.kind: found 'zigzag'; accepted: constant, step, burst, ramp, sine$/]],
  ['syntax.yaml', 'name: mine\ndescription: x\nprofile: { kind: constant, rate: 5\nkeys: { count: 3 }\n', [/^not valid YAML: line \d+, column \d+: /]],
  ['syntax.json', '{\n  "name": "mine",\n  "description": "x",,\n}\n', [/^not valid JSON: line 3, column \d+: /]],
  ['top-level.json', spoiled((w) => (w.colour = 'blue')), [/^colour: unknown field; accepted: an object with the workload fields: name, description, profile, arrivals, keys/]],
  ['fraction.json', spoiled((w) => (w.outOfOrder = { fraction: 1.5, maxDelayMs: 10 })), [/^outOfOrder\.fraction: found 1\.5; accepted: a fraction greater than 0 and at most 1$/]],
  ['arrivals.yml', `${JSON.stringify({ ...valid(), arrivals: 'bursty' })}\n`, [/^arrivals: found 'bursty'; accepted: uniform, poisson$/]],
  ['hot.json', spoiled((w) => (w.keys = { count: 10, distribution: 'hot', hotKeys: 10, hotRatio: 0.5 })), [/^keys\.hotKeys: found 10 of 10 keys; accepted: a whole number from 1 to 9/]],
  ['distribution.json', spoiled((w) => (w.keys = { count: 10, distribution: 'pareto' })), [/^keys\.distribution: found 'pareto'; accepted: uniform, zipf, hot$/]],
  ['window.json', spoiled((w) => (w.pipeline[1] = { op: 'tumblingWindow', sizeMs: 0 })), [/^pipeline\[1\]\.sizeMs: found 0; accepted: ms greater than 0 and at most 3600000$/]],
  ['priority.json', spoiled((w) => { w.pipeline[1] = { op: 'tumblingWindow', sizeMs: 100 }; w.priority = { fraction: 0.1 }; }), [/^pipeline\[1\]\.op: found 'tumblingWindow' with priority; accepted with a priority class .*: map, filter, flatMap, cpuCost, keyedCount$/]],
  ['peak.json', spoiled((w) => { w.profile = { kind: 'ramp', rate: 10, toRate: 20, durationSec: 1 }; w.peak = { factor: 5, startFraction: 0.25, lengthFraction: 0.25 }; }), [/^peak: found with profile kind 'ramp'; accepted: a peak on a 'constant' profile only/]],
  ['steps.json', spoiled((w) => (w.profile = { kind: 'step', rate: 10, steps: [{ atSec: 2, rate: 5 }, { atSec: 1, rate: 3 }] })), [/^profile\.steps\[1\]\.atSec: found 1 after 2; accepted: times in increasing order$/]],
  ['sink.json', spoiled((w) => (w.sink = { capacityPerSec: 'lots' })), [/^sink\.capacityPerSec: found 'lots'; accepted: a rate greater than 0 \(records\/s\) or 'unlimited'$/]],
  ['root.json', '[1, 2]\n', [/^found a list of 2; accepted: an object with the workload fields/]],
  ['empty.yaml', '\n', [/^the file is empty; accepted: a workload/]],
  [
    'several.json',
    spoiled((w) => { w.name = 'my name'; w.valueRange = 0; w.pipeline[0].multiply = 1.5; }),
    [/^name: found 'my name'; accepted: a name of letters, digits/, /^valueRange: found 0; accepted: a whole number from 1 to 2147483648$/, /^pipeline\[0\]\.multiply: found 1\.5; accepted: a whole number from 0 to 2097152$/],
  ],
];

describe('streambench run --scenario <malformed workload file>', () => {
  it.each(MALFORMED)('%s', (file, text, expected) => {
    writeFileSync(join(dir, file), text);
    const out = join(dir, `out-${file}`);
    const result = cliRun(['run', '--scenario', `./${file}`, '--out', out]);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => {
      expect(line.startsWith(`streambench: ./${file}: `), line).toBe(true);
      expect(line.slice(`streambench: ./${file}: `.length)).toMatch(expected[i]);
    });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('shows at most five problems and counts the rest', () => {
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ name: 1, description: 2, profile: 3, keys: 4, valueRange: 'x', pipeline: 6, sink: 7 }));
    const result = cliRun(['run', '--scenario', 'many.json']);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('streambench: many.json: and 2 more problems');
  });

  it.each<[string, string, string[], RegExp]>([
    ['no file', '', ['--scenario', './absent.yaml'], /^streambench: \.\/absent\.yaml: no such file$/],
    ['a built-in\'s name', spoiled((w) => (w.name = 'steady')), ['--scenario', './clash.json'], /^streambench: \.\/clash\.json: name: found 'steady', the name of a built-in scenario; accepted: a name of its own/],
    [
      'a fault partition past --workers',
      spoiled((w) => { w.name = 'crash'; w.pipeline = [{ op: 'keyedCount' }]; w.fault = { partition: 3, killAtSec: 1 }; }),
      ['--scenario', './crash.json', '--workers', '2'],
      /^streambench: fault\.partition: 3 is not a partition of 'crash' with --workers 2 \(partitions 0 \.\. 1\)/,
    ],
    ['an unknown name', '', ['--scenario', 'nope'], /^streambench: --scenario: unknown scenario 'nope'; accepted: burst, cache, fault, .*, or a workload file \(\.json, \.yaml, \.yml\)$/],
  ])('%s', (_what, text, args, message) => {
    const file = args[1];
    if (text !== '') writeFileSync(join(dir, file), text);
    const out = join(dir, `out-${_what.replace(/\W/g, '')}`);
    const result = cliRun(['run', ...args, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('streambench scenarios', () => {
  it('lists every built-in with its description', () => {
    const result = cliRun(['scenarios']);
    expect(result.status).toBe(0);
    for (const name of ['burst', 'cache', 'fault', 'heavy', 'heavy-2x', 'priority', 'slow-sink', 'spill', 'steady', 'windowed']) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(result.stdout).toContain('constant rate; map, filter (keeps 75%), keyed running count over 1000 keys');
    expect(result.stdout).toContain('workload.schema.json');
  });

  it('validates a workload file and shows it with its defaults filled in', () => {
    writeFileSync(join(dir, 'ok.yaml'), 'name: ok\ndescription: fine\nprofile: { kind: ramp, rate: 10, toRate: 20, durationSec: 2 }\nkeys: { count: 5 }\nvalueRange: 9\npipeline: [{ op: keyedSum }]\n');
    const result = cliRun(['scenarios', '--scenario', 'ok.yaml']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok\.yaml: valid, scenario 'ok': fine$/m);
    const shown = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { arrivals: string; profile: { atSec: number } };
    expect(shown.arrivals).toBe('uniform');
    expect(shown.profile.atSec).toBe(0);
  });

  it('reports a malformed file as run does, exit 2', () => {
    writeFileSync(join(dir, 'bad-op.json'), spoiled((w) => (w.pipeline[0].op = 'reduce')));
    const result = cliRun(['scenarios', '--scenario', 'bad-op.json']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("streambench: bad-op.json: pipeline[0].op: found 'reduce'; accepted: map, filter, flatMap, cpuCost, keyedCount, keyedSum, tumblingWindow, branch");
  });

  it('has --help, and rejects an unknown flag', () => {
    const help = cliRun(['scenarios', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: streambench scenarios');
    const bad = cliRun(['scenarios', '--frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--frobnicate'.*streambench scenarios --help/);
  });
});
