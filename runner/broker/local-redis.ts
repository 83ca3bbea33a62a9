/**
 * A private Redis for `--target local` (and the tests): `redis-server` on a free loopback
 * port (127.0.0.1 only), in a temporary directory, with AOF persistence (`--appendonly yes`),
 * stopped afterwards (also when the run fails, times out or is interrupted: see `children.ts`).
 * `restart()` stops it gracefully (the AOF is written out) and starts it again on the same
 * port and directory: a broker restart mid-run. `startLocalCluster` starts N such nodes with
 * `--cluster-enabled yes` and joins them with `redis-cli --cluster create`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, forget, onExit, stopChild, TailBuffer, track } from './children.js';

/** Where Debian puts the binaries (`apt-get install redis-server`); PATH is tried first. */
const REDIS_SERVER = 'redis-server';
const REDIS_CLI = 'redis-cli';
/** Longest wait for a server to accept connections. */
const START_TIMEOUT_MS = 10_000;

/** A running private server. */
export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops it gracefully (AOF flushed) and starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again after {@link kill}. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Options of a private server. */
export interface LocalRedisOptions {
  /** AOF fsync policy: `everysec` (Redis' default) or `always` (every write on disk before its reply). */
  appendfsync?: 'everysec' | 'always';
  /** Extra `redis-server` arguments (e.g. cluster settings). */
  args?: string[];
  port?: number;
  dir?: string;
}

/** A free TCP port on 127.0.0.1 (and, with `withBus`, port + 10000 free too, for a cluster node's bus). */
export async function freePort(withBus = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = withBus ? 20000 + Math.floor(Math.random() * 10000) : await listenAndClose(0);
    if (port === undefined) continue;
    if (!withBus) return port;
    if ((await listenAndClose(port)) !== undefined && (await listenAndClose(port + 10000)) !== undefined) return port;
  }
  throw new Error('no free loopback port found for a private redis-server');
}

function listenAndClose(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(chosen));
    });
  });
}

/** Whether `redis-server` can be run here; a one-line reason when not. */
export function redisServerProblem(): string | undefined {
  const result = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return `--target local needs Debian's redis-server (redis-server was not found: run \`apt-get install -y redis-server\`)`;
  return undefined;
}

/** Starts a private server and waits until it accepts connections. */
export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const problem = redisServerProblem();
  if (problem) throw new Error(problem);
  const port = options.port ?? (await freePort((options.args ?? []).includes('--cluster-enabled')));
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'streambench-redis-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  if (options.dir === undefined) onExit(removeDir);
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dir,
    '--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec', '--save', '', '--daemonize', 'no',
    '--logfile', '', '--loglevel', 'notice', ...(options.args ?? []),
  ];
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = await launchServer(args, port);
  };
  await launch();
  const url = `redis://127.0.0.1:${port}`;
  return {
    port,
    url,
    dir,
    async restart() {
      if (child) await stopChild(child, 10_000);
      await launch();
    },
    async kill() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    },
    start: launch,
    async stop() {
      if (child) await stopChild(child, 10_000);
      if (options.dir === undefined) {
        removeDir();
        forget(removeDir);
      }
    },
  };
}

/** Spawns `redis-server` and resolves once it logs that it accepts connections. */
function launchServer(args: string[], port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    const tail = new TailBuffer();
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on 127.0.0.1:${port} did not start within ${START_TIMEOUT_MS / 1000} s: ${tail.lastLine()}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      tail.add(chunk);
      if (!ready && /Ready to accept connections/.test(chunk.toString())) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be started: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`redis-server on 127.0.0.1:${port} exited (${signal ?? `code ${code}`}) before it was ready: ${tail.lastLine()}`));
    });
  });
}

/** A private cluster of `nodes` masters on loopback. */
export interface LocalCluster {
  readonly nodes: LocalRedis[];
  /** The URL of its first node (a cluster client finds the others). */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `nodes` cluster-enabled servers on free loopback ports and joins them into one cluster (no replicas). */
export async function startLocalCluster(nodes = 3): Promise<LocalCluster> {
  const started: LocalRedis[] = [];
  try {
    for (let n = 0; n < nodes; n++) {
      started.push(await startLocalRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }));
    }
    const create = spawnSync(REDIS_CLI, ['--cluster', 'create', ...started.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${(create.stderr || create.stdout).trim().split('\n').pop()}`);
    await waitForClusterOk(started[0].port);
  } catch (error) {
    await Promise.all(started.map((node) => node.stop()));
    throw error;
  }
  return {
    nodes: started,
    url: started[0].url,
    stop: async () => {
      await Promise.all(started.map((node) => node.stop()));
    },
  };
}

/** Waits until every node reports `cluster_state:ok` (the slots are assigned and agreed). */
async function waitForClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = spawnSync(REDIS_CLI, ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
    if (/cluster_state:ok/.test(info.stdout)) return;
    if (Date.now() > deadline) throw new Error(`the local cluster did not reach cluster_state:ok: ${info.stdout.split('\n')[0]}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
