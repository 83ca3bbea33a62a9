/**
 * The memory chapter's flags through the built CLI, as a user runs it: `--cache off,on` on the
 * `cache` scenario writes per-branch figures into results.json that agree across the cache
 * settings; a spill folder that cannot be written, a malformed budget and a cache hint for a
 * scenario that does not fork each get one line naming the flag, exit 2 and no files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import type { ResultsFile } from '../primitives/results-schema.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

function run(args: string[], timeout = 60_000): { status: number | null; stdout: string; stderr: string; out: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'streambench-cli-')), 'out');
  const result = spawnSync(process.execPath, [cli, 'run', ...args, '--out', out], { encoding: 'utf8', timeout });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, out };
}

describe('streambench run --cache off,on --scenario cache', () => {
  it('writes each branch\'s digest, output and latency, the same with the cache off and on', () => {
    const result = run(['--scenario', 'cache', '--cache', 'off,on', '--mode', 'continuous,trigger', '--rate', '2k', '--duration', '0.6s', '--warmup', '0.2s', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const file = JSON.parse(readFileSync(join(result.out, 'results.json'), 'utf8')) as ResultsFile;
    expect(file.runs.map((r) => [r.mode, r.params.cache])).toEqual([
      ['continuous', false],
      ['continuous', true],
      ['trigger', false],
      ['trigger', true],
    ]);
    for (const r of file.runs) {
      expect(r.branches?.map((b) => b.name)).toEqual(['counts', 'sums']);
      expect(r.branches!.reduce((sum, b) => sum + b.recordsOut, 0)).toBe(r.recordsOut);
      for (const branch of r.branches!) expect(branch.latency.eventTime.count).toBeGreaterThan(0);
    }
    expect(new Set(file.runs.map((r) => JSON.stringify(r.branches!.map((b) => b.outputDigest)))).size).toBe(1);
    expect(file.digestChecks).toEqual([expect.objectContaining({ scenario: 'cache', verdict: 'match' })]);
    expect(result.stdout).toMatch(/continuous workers=2 cache=on/);
    // The branch table under the main one, branches.csv beside the other CSV files, and the HTML report's table.
    expect(result.stdout).toMatch(/^branches:\n.*branch/m);
    expect(readFileSync(join(result.out, 'branches.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 4 * 2);
    expect(readFileSync(join(result.out, 'index.html'), 'utf8')).toContain('<h4>Branches</h4>');
  });
});

describe('streambench run: bad memory flags', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'streambench-cli-')), 'a-file');
  writeFileSync(file, 'not a folder');

  it.each([
    [['--scenario', 'spill', '--spill-dir', join(file, 'spill')], new RegExp(`^streambench: --spill-dir ${join(file, 'spill')}: cannot create the folder \\(ENOTDIR\\); give a folder this user can write`)],
    [['--scenario', 'steady', '--memory-budget', 'lots'], /^streambench: --memory-budget: 'lots' is not a size; use e\.g\. 64MB/],
    [['--scenario', 'steady', '--memory-budget', '1KB'], /^streambench: --memory-budget: '1KB' is below the smallest budget, 64KB/],
    [['--scenario', 'steady', '--spill-dir', tmpdir()], /^streambench: --spill-dir: only used with a memory budget/],
    [['--scenario', 'steady', '--cache', 'on'], /^streambench: --cache: none of the scenarios \(steady\) forks into branches/],
    [['--scenario', 'cache', '--cache', 'maybe'], /^streambench: --cache: unknown setting 'maybe'; accepted: off, on, off,on/],
  ])('%j', (args, message) => {
    const result = run(args, 30_000);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(result.out)).toBe(false);
  });
});
