/**
 * `streambench report`: bad input (missing, malformed, wrong-version or empty results
 * files, unknown flags) is one clear message with exit code 2 and no page; good input
 * writes index.html, linking the CSVs next to the results file relative to the page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { parseReportOptions, reportMain } from '../reports/html/report-command.js';
import { buildResultsFile, writeReports } from '../reports/results-file.js';
import { compiledFile } from '../primitives/compiled-file.js';
import { UsageError } from '../primitives/usage-error.js';
import { makeRun, TEST_ENVIRONMENT } from './fixtures/run-result.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streambench-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function resultsFile() {
  const runs = [makeRun({ mode: 'micro-batch' }), makeRun({ mode: 'continuous', params: { workers: 2 } })];
  return buildResultsFile(runs, TEST_ENVIRONMENT, { seed: 42 }, checkDigests(runs));
}

/** The UsageError message `reportMain(argv)` rejects with. */
async function usageError(argv: string[]): Promise<string> {
  const error = await reportMain(argv).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('streambench report: bad input', () => {
  it('names a missing file', async () => {
    expect(await usageError([join(dir, 'nope.json')])).toMatch(/nope\.json: file not found; check the path/);
  });

  it('names a malformed file', async () => {
    await writeFile(join(dir, 'bad.json'), '{"schema": "streambench/res');
    expect(await usageError([join(dir, 'bad.json')])).toMatch(/bad\.json: is not valid JSON .*re-run the benchmark/);
  });

  it('names a file of another version', async () => {
    await writeFile(join(dir, 'v2.json'), JSON.stringify({ ...resultsFile(), version: 2 }));
    expect(await usageError([join(dir, 'v2.json')])).toMatch(/v2\.json: version 2 is not supported by this streambench \(reads version 1\)/);
  });

  it('names a file with a damaged run, and one with no runs', async () => {
    const file = resultsFile();
    await writeFile(join(dir, 'damaged.json'), JSON.stringify({ ...file, runs: [{ ...file.runs[0], latency: {} }] }));
    expect(await usageError([join(dir, 'damaged.json')])).toMatch(/runs\[0\]\.latency\.eventTime\.histogram is missing/);
    await writeFile(join(dir, 'empty.json'), JSON.stringify({ ...file, runs: [] }));
    expect(await usageError([join(dir, 'empty.json')])).toMatch(/empty\.json: holds no runs; nothing to report/);
  });

  it('asks for a file, and rejects unknown flags', () => {
    expect(() => parseReportOptions([])).toThrow(/give at least one results\.json/);
    expect(() => parseReportOptions(['a.json', '--colour'])).toThrow(/Unknown option '--colour'\. Run `streambench report --help`/);
    expect(parseReportOptions(['a/results.json', 'b.json'])).toEqual({ files: ['a/results.json', 'b.json'], out: 'a' });
    expect(parseReportOptions(['--help'])).toBe('help');
  });

  it('exits 2 with one line and writes no page (built CLI)', async () => {
    await writeFile(join(dir, 'bad.json'), '[1, 2');
    const result = spawnSync(process.execPath, [cli, 'report', join(dir, 'bad.json')], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^streambench: report: .*bad\.json: is not valid JSON/);
    expect(existsSync(join(dir, 'index.html'))).toBe(false);
  });
});

describe('streambench report: output', () => {
  it('writes index.html next to the results file by default, linking its CSVs', async () => {
    await writeReports(join(dir, 'run'), resultsFile());
    expect(await reportMain([join(dir, 'run', 'results.json')])).toBe(0);
    const html = await readFile(join(dir, 'run', 'index.html'), 'utf8');
    expect(html).toContain('href="summary.csv"');
    expect(html).toContain('<section id="spectrum">');
  });

  it('with --out elsewhere, links the CSVs relative to the page; compares several files', async () => {
    await writeReports(join(dir, 'base'), resultsFile());
    await writeReports(join(dir, 'new'), resultsFile());
    const out = join(dir, 'compare');
    expect(await reportMain([join(dir, 'base', 'results.json'), join(dir, 'new', 'results.json'), '--out', out])).toBe(0);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('href="../base/summary.csv"');
    expect(html).toContain('href="../new/timeline.csv"');
    expect(html).toContain('Comparing base/results.json vs new/results.json');
  });
});
