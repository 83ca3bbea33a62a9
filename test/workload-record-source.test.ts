/**
 * A workload file with records that have a schema (issue 14): `source` (nexmark, text, json),
 * `query` and a declared `windowScale` become the scenario's `records`, with an empty
 * pipeline; combinations that make no sense are refused, one line each naming the field and
 * what is accepted; and the CLI refuses one with exit 2 before any trial.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import { parseWorkload, WorkloadError } from '../scenarios/workload-file.js';

const base = { name: 'records', description: 'a record query', profile: { kind: 'constant', rate: 100 }, keys: { count: 1 }, valueRange: 1, pipeline: [] };
const parse = (extra: object) => parseWorkload(JSON.stringify({ ...base, ...extra }), 'json', 'records.json');
const problems = (extra: object): string => {
  try {
    parse(extra);
  } catch (error) {
    if (error instanceof WorkloadError) return error.message;
    throw error;
  }
  return '';
};

describe('a workload with a record source', () => {
  it('becomes the scenario\'s records, the window scale defaulting to 1', () => {
    expect(parse({ source: 'nexmark', query: 'q5', windowScale: 10 }).records).toEqual({ source: 'nexmark', query: 'q5', windowScale: 10 });
    expect(parse({ source: 'text', query: 'wordcount' }).records).toEqual({ source: 'text', query: 'wordcount', windowScale: 1 });
    expect(parse({ source: 'scalar', pipeline: [{ op: 'keyedCount' }] }).records).toBeUndefined();
    expect(parse({ pipeline: [{ op: 'keyedCount' }] }).records).toBeUndefined();
  });

  it.each([
    [{ source: 'nexmark', query: 'q5', pipeline: [{ op: 'keyedCount' }] }, /^records\.json: pipeline: found 1 operator with source 'nexmark'; accepted: \[\] \(a record source runs its query, not the scalar pipeline\)$/],
    [{ source: 'nexmark' }, /^records\.json: query: found nothing with source 'nexmark'; accepted: one of q0, q1, q2, q3, q5, q7, q8$/],
    [{ source: 'nexmark', query: 'wordcount' }, /^records\.json: query: found 'wordcount' with source 'nexmark'; accepted with source 'nexmark': q0, q1, q2, q3, q5, q7, q8$/],
    [{ query: 'q0' }, /^records\.json: query: found 'q0' with scalar records; accepted: a query with "source": 'nexmark'/],
    [{ windowScale: 10, pipeline: [{ op: 'keyedCount' }] }, /^records\.json: windowScale: found 10 with scalar records; accepted: a window scale with a record source only/],
    [{ source: 'json', query: 'json-ingest', priority: { fraction: 0.1 } }, /^records\.json: priority: found with source 'json'; accepted: a priority class with scalar records only/],
    [{ source: 'nexmark', query: 'q0', memoryBudget: '4MB' }, /^records\.json: memoryBudget: found with source 'nexmark'; accepted: a memory budget with scalar records only/],
    [{ source: 'nexmark', query: 'q0', keys: { count: 10, distribution: 'zipf', exponent: 1 } }, /^records\.json: keys\.distribution: found 'zipf' with source 'nexmark'; accepted: none/],
    [{ source: 'kafka', query: 'q0' }, /^records\.json: source: .*accepted: one of scalar, nexmark, text, json$/],
    [{ source: 'nexmark', query: 'q4' }, /^records\.json: query: .*accepted: q0, q1, q2, q3, q5, q7, q8, wordcount, json-ingest$/],
    [{ source: 'nexmark', query: 'q0', windowScale: 0 }, /^records\.json: windowScale: .*accepted: a whole number from 1 to 1000$/],
  ])('%j is refused with one line naming the field', (extra, line) => {
    const message = problems(extra);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(line);
  });

  it('is refused by the CLI with exit 2 and no output when it makes no sense', () => {
    const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'streambench-records-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...base, source: 'nexmark', query: 'q7', pipeline: [{ op: 'keyedCount' }] }));
    const out = join(dir, 'out');
    const result = spawnSync(process.execPath, [cli, 'run', '--scenario', './bad.json', '--duration', '0.2s', '--quiet', '--out', out], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/pipeline: found 1 operator with source 'nexmark'; accepted: \[\]/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
