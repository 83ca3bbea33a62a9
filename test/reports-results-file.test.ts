import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { buildResultsFile, readResultsFile, ResultsFileError, writeReports } from '../reports/results-file.js';
import { makeRun, TEST_ENVIRONMENT } from './fixtures/run-result.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streambench-results-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleFile() {
  const runs = [makeRun({ mode: 'micro-batch' }), makeRun({ mode: 'continuous', params: { workers: 2 } })];
  return buildResultsFile(runs, TEST_ENVIRONMENT, { duration: 10 }, checkDigests(runs), new Date('2025-01-02T03:04:05Z'));
}

/** The error `readResultsFile` rejects with, asserting it is a ResultsFileError. */
async function readError(path: string): Promise<ResultsFileError> {
  const error = await readResultsFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResultsFileError);
  return error as ResultsFileError;
}

describe('buildResultsFile', () => {
  it('stamps schema, version and time', () => {
    const file = sampleFile();
    expect(file).toMatchObject({ schema: 'streambench/results', version: 1, createdAt: '2025-01-02T03:04:05.000Z' });
    expect(file.runs).toHaveLength(2);
    expect(file.digestChecks[0].verdict).toBe('match');
  });
});

describe('writeReports', () => {
  it('writes the four files and reads results.json back unchanged', async () => {
    const file = sampleFile();
    const out = join(dir, 'reports', 'run-1');
    const paths = await writeReports(out, file);
    expect(paths).toEqual(['results.json', 'summary.csv', 'percentiles.csv', 'timeline.csv'].map((name) => join(out, name)));
    expect((await readdir(out)).sort()).toEqual(['percentiles.csv', 'results.json', 'summary.csv', 'timeline.csv']);
    expect(await readResultsFile(paths[0])).toEqual(file);
    expect((await readFile(paths[1], 'utf8')).split('\n')[0]).toMatch(/^scenario,mode,params,offeredRate,/);
    expect((await readFile(paths[2], 'utf8')).trimEnd().split('\n')).toHaveLength(1 + 2 * 9);
  });

  it('writes none of the set when one file cannot be written', async () => {
    await mkdir(join(dir, 'timeline.csv'));
    await expect(writeReports(dir, sampleFile())).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['timeline.csv']);
  });
});

describe('readResultsFile', () => {
  it('rejects another version, naming the versions and the fix', async () => {
    const path = join(dir, 'results.json');
    await writeFile(path, JSON.stringify({ ...sampleFile(), version: 2 }));
    const error = await readError(path);
    expect(error.message).toBe(
      `${path}: version 2 is not supported by this streambench (reads version 1); ` +
        'read it with the streambench version that wrote it, or re-run the benchmark with this one',
    );
  });

  it('rejects bad JSON, telling to re-run', async () => {
    const path = join(dir, 'results.json');
    await writeFile(path, '{"schema": "streambench/results", "version": 1, ');
    const error = await readError(path);
    expect(error.message).toMatch(/is not valid JSON/);
    expect(error.message).toMatch(/re-run the benchmark/);
  });

  it('rejects a missing file, telling how to create one', async () => {
    const path = join(dir, 'nope.json');
    const error = await readError(path);
    expect(error.message).toBe(`${path}: file not found; check the path, or run \`streambench run\` to create results.json`);
  });

  it('rejects a directory', async () => {
    expect((await readError(dir)).message).toContain('is a directory');
  });

  it('rejects another schema and a non-object', async () => {
    const path = join(dir, 'other.json');
    await writeFile(path, JSON.stringify({ schema: 'something/else', version: 1 }));
    expect((await readError(path)).message).toContain('schema is "something/else", expected "streambench/results"');
    await writeFile(path, '[1, 2]');
    expect((await readError(path)).message).toContain('holds a JSON array, not a results object');
  });

  it('names a missing or mistyped field of a run', async () => {
    const path = join(dir, 'results.json');
    const file = sampleFile();
    const broken = JSON.parse(JSON.stringify(file));
    delete broken.runs[1].latency.eventTime.histogram;
    await writeFile(path, JSON.stringify(broken));
    expect((await readError(path)).message).toContain('runs[1].latency.eventTime.histogram is missing (expected string)');

    const mistyped = JSON.parse(JSON.stringify(file));
    mistyped.runs[0].offeredRate = '1000';
    await writeFile(path, JSON.stringify(mistyped));
    expect((await readError(path)).message).toContain('runs[0].offeredRate is string (expected number)');

    delete mistyped.digestChecks;
    await writeFile(path, JSON.stringify(mistyped));
    expect((await readError(path)).message).toContain('digestChecks is missing (expected array)');
  });
});
