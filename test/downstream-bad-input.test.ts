/**
 * Bad slow-sink and fault flags: one clear message naming the flag, exit code 2, no stack
 * trace, nothing written. Runs the built CLI as a user would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

describe('streambench run: bad slow-sink and fault input', () => {
  it.each([
    [['--scenario', 'slow-sink', '--sink-capacity', '0'], /--sink-capacity: '0' is not a positive rate/],
    [['--scenario', 'slow-sink', '--sink-capacity', 'fast'], /--sink-capacity: 'fast' is not a positive rate/],
    [['--scenario', 'slow-sink', '--sink-latency', 'slow'], /--sink-latency: 'slow' is not a duration/],
    [['--scenario', 'slow-sink', '--sink-queue', '0'], /--sink-queue: '0' must be a whole number of records/],
    [['--scenario', 'slow-sink', '--sink-queue', '1', '--workers', '2'], /--sink-queue: 1 records cannot be shared by 2 partitions/],
    [['--scenario', 'slow-sink', '--sink-drop', 'oldest'], /--sink-drop: unknown policy 'oldest'; accepted: none .*, newest/],
    [['--scenario', 'fault', '--kill-at', '5s', '--duration', '3s'], /--kill-at: 5s is outside the measurement window of 'fault' \(0 .. --duration 3s\)/],
    [['--scenario', 'fault', '--duration', '500ms'], /--kill-at: 1s is outside the measurement window/],
    [['--scenario', 'fault', '--kill-at', 'soon'], /--kill-at: 'soon' is not a positive duration/],
    [['--scenario', 'fault', '--fail-batch-at', 'later'], /--fail-batch-at: 'later' is not a positive duration/],
    [['--scenario', 'fault', '--fail-batch-at', '4s'], /--fail-batch-at: 4s is outside the measurement window of 'fault'/],
    [['--scenario', 'steady', '--kill-at', '1s'], /--kill-at: none of the selected scenarios injects a fault; add --scenario fault/],
  ])('%j', (args, message) => {
    const out = join(mkdtempSync(join(tmpdir(), 'streambench-cli-')), 'out');
    const result = spawnSync(process.execPath, [cli, 'run', ...args, '--out', out], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('lists the new flags in --help', () => {
    const result = spawnSync(process.execPath, [cli, 'run', '--help'], { encoding: 'utf8' });
    for (const flag of ['--sink-capacity', '--sink-latency', '--sink-queue', '--sink-drop', '--kill-at', '--fail-batch-at']) expect(result.stdout).toContain(flag);
  });
});
