import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFilesAtomic } from '../reports/atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streambench-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes text and bytes, replacing an existing file, and leaves no temporary file', async () => {
    const path = join(dir, 'out.txt');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    await writeFileAtomic(join(dir, 'bytes.bin'), new Uint8Array([1, 2, 3]));
    expect([...(await readFile(join(dir, 'bytes.bin')))]).toEqual([1, 2, 3]);
    expect((await readdir(dir)).sort()).toEqual(['bytes.bin', 'out.txt']);
  });

  it('creates missing directories', async () => {
    const path = join(dir, 'a', 'b', 'results.json');
    await writeFileAtomic(path, '{}');
    expect(await readFile(path, 'utf8')).toBe('{}');
  });

  it('leaves no file when the target directory cannot exist (its parent is a file)', async () => {
    await writeFile(join(dir, 'blocker'), 'not a directory');
    await expect(writeFileAtomic(join(dir, 'blocker', 'out.txt'), 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['blocker']);
    expect(await readFile(join(dir, 'blocker'), 'utf8')).toBe('not a directory');
  });

  it('refuses to replace a directory and leaves no temporary file', async () => {
    await mkdir(join(dir, 'taken'));
    await expect(writeFileAtomic(join(dir, 'taken'), 'data')).rejects.toThrow(/directory is in the way/);
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readdir(join(dir, 'taken'))).toEqual([]);
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file of the set', async () => {
    await writeFilesAtomic([
      { path: join(dir, 'one.txt'), data: '1' },
      { path: join(dir, 'sub', 'two.txt'), data: '2' },
    ]);
    expect(await readFile(join(dir, 'one.txt'), 'utf8')).toBe('1');
    expect(await readFile(join(dir, 'sub', 'two.txt'), 'utf8')).toBe('2');
    expect((await readdir(dir)).sort()).toEqual(['one.txt', 'sub']);
  });

  it('writes none of the set when the second file fails, and removes the first temporary file', async () => {
    await writeFile(join(dir, 'blocker'), 'x');
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'one.txt'), data: '1' },
        { path: join(dir, 'blocker', 'two.txt'), data: '2' },
      ]),
    ).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['blocker']);
  });

  it('keeps the previous set intact when a later file of a new set fails', async () => {
    const one = join(dir, 'one.txt');
    await writeFileAtomic(one, 'old');
    await mkdir(join(dir, 'two.txt'));
    await expect(
      writeFilesAtomic([
        { path: one, data: 'new' },
        { path: join(dir, 'two.txt'), data: '2' },
      ]),
    ).rejects.toThrow();
    expect(await readFile(one, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['one.txt', 'two.txt']);
  });

  it('rejects a set that names the same file twice, writing nothing', async () => {
    const path = join(dir, 'same.txt');
    await expect(
      writeFilesAtomic([
        { path, data: 'a' },
        { path: join(dir, '.', 'same.txt'), data: 'b' },
      ]),
    ).rejects.toThrow(/listed twice/);
    expect(await readdir(dir)).toEqual([]);
  });
});
