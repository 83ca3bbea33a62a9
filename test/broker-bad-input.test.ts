/**
 * Bad input and a bad environment for runs through a broker, through the built CLI as a user
 * would: a malformed --target exits 2 naming the flag; an unreachable broker, a system under test
 * that exits early, writes malformed output or writes nothing each end the command with one
 * line, a non-zero exit and no results written. Loopback only: a private /usr/bin/redis-server
 * started by this file, and a port on which nothing listens.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledFile } from '../primitives/compiled-file.js';
import { freePort, startLocalRedis, type LocalRedis } from '../runner/broker/local-redis.js';

const cli = compiledFile(new URL('../commands/cli.ts', import.meta.url).href, './cli.js');
const misbehaving = (how: string): string => `node test/fixtures/suts/misbehaving-sut.mjs ${how}`;
const LIGHT = ['--scenario', 'steady', '--rate', '500', '--warmup', '0.1s', '--duration', '0.3s', '--drain-timeout', '1s', '--quiet'];

let redis: LocalRedis;

beforeAll(async () => {
  redis = await startLocalRedis();
});

afterAll(async () => {
  await redis?.stop();
});

function cliRun(args: string[]): { status: number | null; stderr: string; out: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'streambench-broker-')), 'out');
  const writes = args[0] === 'run' || args[0] === 'sweep';
  const result = spawnSync(process.execPath, [cli, ...args, ...(writes ? ['--out', out] : [])], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr, out };
}

/** Pids of the processes whose command line mentions `text` (from /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  }).map(Number);
}

/** One line on stderr, no stack trace, nothing written. */
function expectOneLine(result: { stderr: string; out: string }, message: RegExp): void {
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(result.out)).toBe(false);
}

describe('broker runs: bad input', () => {
  it.each([
    [['run', '--target', 'redis//127.0.0.1:6379'], /^streambench: --target: 'redis\/\/127\.0\.0\.1:6379' is not a broker target; use local .* or redis:\/\/host:port/],
    [['run', '--target', 'redis://127.0.0.1:99999'], /^streambench: --target: port 99999 of 'redis:\/\/127\.0\.0\.1:99999' is not a TCP port/],
    [['run', '--target', 'mysql://db:3306'], /^streambench: --target: 'mysql:\/\/db:3306' is not a broker target/],
    [['sweep', '--target', 'nowhere', '--rates', '1k'], /^streambench: --target: 'nowhere' is not a broker target/],
    [['run', '--sut', 'none'], /^streambench: --sut applies to runs through a broker only; add --target/],
    [['run', '--target', 'local', '--scenario', 'fault'], /^streambench: --target: scenario 'fault' kills a worker thread/],
    [['run', '--target', 'local', '--sut', 'none', '--mode', 'trigger'], /^streambench: --mode: with --sut none/],
    [['serve', '--mode', 'continuous', '--target', 'local'], /^streambench: --target: serve joins a broker someone else runs/],
    [['generate', '--target', 'redis://127.0.0.1:1', '--share', '2/2'], /^streambench: --share: '2\/2' must be i\/N/],
  ])('%j exits 2 with one line naming the flag', (args, message) => {
    const result = cliRun(args);
    expect(result.status).toBe(2);
    expectOneLine(result, message);
  });
});

describe('broker runs: bad environment', () => {
  it('an unreachable broker: one line, exit 1, nothing written', async () => {
    const port = await freePort();
    const result = cliRun(['run', '--target', `redis://127.0.0.1:${port}`, ...LIGHT]);
    expect(result.status).toBe(1);
    expectOneLine(result, new RegExp(`^streambench: cannot reach the broker at redis://127\\.0\\.0\\.1:${port} \\(--target\\): ECONNREFUSED`));
  });

  it.each([
    ['exits before it joins', 'sh -c "echo broken >&2; exit 3"', /^streambench: the system under test \(sh -c "echo broken >&2; exit 3"\) exited \(code 3\): broken before trial .* ended$/],
    ['exits early after joining', misbehaving('exit'), /^streambench: the system under test \(node .*misbehaving-sut\.mjs exit\) exited \(code 0\) before trial .* ended$/],
    ['writes malformed output', misbehaving('malformed'), /^streambench: malformed output on streambench:\{.*\.0\}:out: entry .* has \["t","soon","k","1","v","2"\]; each result needs a numeric t/],
    ['writes nothing', misbehaving('silent'), /^streambench: node .*misbehaving-sut\.mjs silent wrote nothing to streambench:\{.*\}:out, .* within --drain-timeout 1 s/],
  ])('a system under test that %s: one line, exit 1, nothing written', (_what, sut, message) => {
    const result = cliRun(['run', '--target', redis.url, '--sut', sut, ...LIGHT]);
    expect(result.status).toBe(1);
    expectOneLine(result, message);
  });

  it('interrupted mid-run (Ctrl-C): the private redis-server is stopped and its directory removed', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('streambench-redis-')));
    const out = join(mkdtempSync(join(tmpdir(), 'streambench-broker-')), 'out');
    const child = spawn(process.execPath, [cli, 'run', '--target', 'local', '--scenario', 'steady', '--mode', 'continuous', '--rate', '500', '--duration', '30s', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    // The progress line of the first trial comes once the private server is up and the trial started.
    await new Promise<void>((resolve) => child.stderr.on('data', (chunk: Buffer) => /\[1\/1\]/.test(chunk.toString()) && resolve()));
    const dirs = readdirSync(tmpdir()).filter((name) => name.startsWith('streambench-redis-') && !before.has(name));
    expect(dirs).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(join(tmpdir(), dirs[0]))).toBe(false);
    expect(processesMentioning(dirs[0])).toEqual([]); // no process runs in it any more
    expect(existsSync(out)).toBe(false);
  });
});
