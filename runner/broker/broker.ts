/**
 * The broker a run talks to: `--target local` (a private redis-server, started and stopped by
 * the run), or `--target redis://host:port` (the user's server; a cluster node is recognised
 * and spoken to as a cluster). {@link Broker} hands out ioredis clients: one per blocking
 * reader (a blocking XREAD holds its connection), one shared for everything else. Clients
 * retry through a broker restart (commands wait, then are re-sent), so only the trial's own
 * time-out ends a run whose broker is gone.
 */
import { Socket } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { UsageError } from '../../primitives/usage-error.js';
import { startLocalRedis, type LocalRedis } from './local-redis.js';

/** A parsed `--target`. */
export type Target = { kind: 'local' } | { kind: 'url'; url: string; host: string; port: number };

/** Reads `--target`; a malformed value is a {@link UsageError} naming the flag and the accepted forms. */
export function parseTarget(text: string): Target {
  const fix = `use local (a private redis-server) or redis://host:port, e.g. redis://127.0.0.1:6379`;
  if (text === 'local') return { kind: 'local' };
  const match = /^redis:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(text.trim());
  if (!match) throw new UsageError(`--target: '${text}' is not a broker target; ${fix}`);
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new UsageError(`--target: port ${match[2]} of '${text}' is not a TCP port (1..65535); ${fix}`);
  const host = match[1].replace(/^\[|\]$/g, '');
  return { kind: 'url', url: `redis://${match[1]}:${port}`, host, port };
}

/** A Redis client of either kind; every command goes through `call`. */
export type Client = Redis | Cluster;

/** Lua: XADD each group of four arguments as one entry (t, k, v, i) to KEYS[1]; returns how many. */
const XADD_RECORDS = `local s = KEYS[1]
for j = 1, #ARGV, 4 do redis.call('XADD', s, '*', 't', ARGV[j], 'k', ARGV[j + 1], 'v', ARGV[j + 2], 'i', ARGV[j + 3]) end
return #ARGV / 4`;

/**
 * Lua, the bridge's commit: KEYS[1] output stream, KEYS[2] input stream, ARGV[1] group,
 * ARGV[2] n; then n results (t, k, v, i) to XADD to the output, then the input IDs to XACK.
 * Results and acknowledgements commit together: a crash leaves both or neither.
 */
const PUBLISH_AND_ACK = `local n = tonumber(ARGV[2])
for j = 3, 2 + 4 * n, 4 do redis.call('XADD', KEYS[1], '*', 't', ARGV[j], 'k', ARGV[j + 1], 'v', ARGV[j + 2], 'i', ARGV[j + 3]) end
local first = 3 + 4 * n
for j = first, #ARGV, 500 do redis.call('XACK', KEYS[2], ARGV[1], unpack(ARGV, j, math.min(j + 499, #ARGV))) end
return n`;

/** Clients with the scripts above as commands. */
export interface ScriptedClient {
  /** XADDs records (groups of t, k, v, i) to `stream`. */
  xaddRecords(stream: string, ...args: string[]): Promise<number>;
  /** XADDs results to `output` and XACKs `ids` on `input`, atomically. */
  publishAndAck(output: string, input: string, group: string, count: string, ...args: string[]): Promise<number>;
}

/** One broker: how to reach it and whether it is a cluster. */
export class Broker {
  private readonly clients: Client[] = [];
  private shared?: Client & ScriptedClient;

  private constructor(
    readonly url: string,
    readonly host: string,
    readonly port: number,
    readonly cluster: boolean,
    private readonly local?: LocalRedis,
  ) {}

  /** Connects to `target` (starting a private server for `local`); an unreachable broker fails with one line. */
  static async open(target: Target): Promise<Broker> {
    if (target.kind === 'local') {
      const local = await startLocalRedis();
      return new Broker(local.url, '127.0.0.1', local.port, false, local);
    }
    return Broker.connect(target.url, target.host, target.port);
  }

  /** Connects to the server at `url` (no private server). */
  static async connect(url: string, host = parseUrlHost(url), port = parseUrlPort(url)): Promise<Broker> {
    await probe(host, port, url);
    const probeClient = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    let cluster = false;
    try {
      await probeClient.connect();
      const info = String(await probeClient.call('INFO', 'cluster'));
      cluster = /cluster_enabled:1/.test(info);
    } catch (error) {
      throw new Error(`cannot talk to the broker at ${url} (--target): ${messageOf(error)}`);
    } finally {
      probeClient.disconnect();
    }
    return new Broker(url, host, port, cluster);
  }

  /** The private server, when the run started one (`--target local`). */
  get localServer(): LocalRedis | undefined {
    return this.local;
  }

  /** A new client of its own (for a blocking reader). */
  client(): Client & ScriptedClient {
    const retryStrategy = (times: number): number => Math.min(20 * times, 500);
    const client: Client = this.cluster
      ? new Cluster([{ host: this.host, port: this.port }], { clusterRetryStrategy: retryStrategy, redisOptions: { maxRetriesPerRequest: null } })
      : new Redis({ host: this.host, port: this.port, maxRetriesPerRequest: null, retryStrategy });
    client.on('error', () => {}); // reconnects are handled by the retry strategy; a command that fails says why
    client.defineCommand('xaddRecords', { numberOfKeys: 1, lua: XADD_RECORDS });
    client.defineCommand('publishAndAck', { numberOfKeys: 2, lua: PUBLISH_AND_ACK });
    this.clients.push(client);
    return client as Client & ScriptedClient;
  }

  /** The client for non-blocking commands, shared. */
  get commands(): Client & ScriptedClient {
    this.shared ??= this.client();
    return this.shared;
  }

  /** Closes every client (and stops the private server). */
  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    this.shared = undefined;
    await this.local?.stop();
  }

  /** Closes one client handed out by {@link client}. */
  release(client: Client): void {
    const at = this.clients.indexOf(client);
    if (at >= 0) this.clients.splice(at, 1);
    client.disconnect();
  }
}

/** Fails with one line unless a TCP connection to host:port opens within 2 s. */
function probe(host: string, port: number, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`cannot reach the broker at ${url} (--target): ${why}`));
    };
    socket.setTimeout(2000, () => fail('no answer within 2 s'));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.connect(port, host, () => {
      socket.destroy();
      resolve();
    });
  });
}

function parseUrlHost(url: string): string {
  const target = parseTarget(url);
  return target.kind === 'url' ? target.host : '127.0.0.1';
}

function parseUrlPort(url: string): number {
  const target = parseTarget(url);
  return target.kind === 'url' ? target.port : 6379;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * Watches `client` for a re-made connection (a broker restart): the function returned tells
 * whether the connection was re-made since it last asked. ioredis emits 'ready' (on the next
 * tick) before it re-sends the commands the lost connection left unanswered, so a command whose
 * reply was lost resolves only after the function would say true.
 */
export function reconnects(client: Client): () => boolean {
  let ready = (client as { status?: string }).status === 'ready';
  let reconnected = false;
  client.on('ready', () => {
    if (ready) reconnected = true;
    ready = true;
  });
  return () => {
    const was = reconnected;
    reconnected = false;
    return was;
  };
}

/** An entry as XREAD/XREADGROUP returns it: [id, [field, value, …]]. */
export type RawEntry = [id: string, fields: string[]];

/** The entries of the one stream an XREAD/XREADGROUP reply holds (empty when it timed out). */
export function entriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  // RESP2 replies hold [[stream, entries]]; ioredis 6 hands one stream's reply over as [stream, entries].
  const [, entries] = (typeof reply[0] === 'string' ? reply : reply[0]) as [string, RawEntry[]];
  return entries ?? [];
}
