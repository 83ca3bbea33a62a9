/**
 * What the harness writes to the broker for one trial (the run's `spec` key, JSON), so that
 * every process of the run — `serve`, generators, a system under test — works from the same
 * plan: the trial itself ({@link TrialSpec}: scenario, rate, seed, window, …), the partitions'
 * streams and how many generators share the source. Also the small readers of the broker's
 * answers that several processes need (consumer-group state).
 */
import type { TrialSpec } from '../trial-spec.js';
import { ANNOUNCE_STREAM, GROUP, runKeys, type PartitionStreams, type RunKeys } from './contract.js';
import { entriesOf, type Client, type RawEntry } from './broker.js';

/** The trial as the broker holds it. */
export interface BrokerTrialSpec {
  run: string;
  trial: TrialSpec;
  partitions: number;
  /** Generator processes sharing the schedule (record i belongs to share i mod generators). */
  generators: number;
  streams: PartitionStreams[];
}

/** The keys of a trial. */
export function keysOf(spec: BrokerTrialSpec): RunKeys {
  return { ...runKeys(spec.run, []), streams: spec.streams };
}

/** Reads the spec of `run` (undefined when the broker has none). */
export async function readSpec(client: Client, run: string): Promise<BrokerTrialSpec | undefined> {
  const text = (await client.call('GET', runKeys(run, []).spec)) as string | null;
  return text === null ? undefined : (JSON.parse(text) as BrokerTrialSpec);
}

/** The consumer group's state on one input stream (XINFO GROUPS). */
export interface GroupState {
  consumers: number;
  pending: number;
  lastDeliveredId: string;
  entriesRead: number;
  /** Entries not yet delivered to the group (Redis' `lag`; computed from XLEN when Redis cannot tell). */
  lag: number;
}

/** The `streambench` group's state on `stream`; undefined when the group does not exist. */
export async function groupState(client: Client, stream: string): Promise<GroupState | undefined> {
  const groups = (await client.call('XINFO', 'GROUPS', stream)) as unknown[][];
  for (const group of groups) {
    const fields = new Map<string, unknown>();
    for (let f = 0; f + 1 < group.length; f += 2) fields.set(String(group[f]), group[f + 1]);
    if (fields.get('name') !== GROUP) continue;
    const entriesRead = Number(fields.get('entries-read') ?? 0);
    let lag = fields.get('lag');
    if (lag === null || lag === undefined) lag = Math.max(0, Number(await client.call('XLEN', stream)) - entriesRead);
    return {
      consumers: Number(fields.get('consumers') ?? 0),
      pending: Number(fields.get('pending') ?? 0),
      lastDeliveredId: String(fields.get('last-delivered-id') ?? '0-0'),
      entriesRead,
      lag: Number(lag),
    };
  }
  return undefined;
}

/** Resolves after `ms` (a pause between polls of the broker; never timing logic). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An announced trial: the fields of its entry on the announce stream (`run`, `generators`, …). */
export type Announcement = Record<string, string>;

/**
 * The trials the harness announces, for a process started on its own: first those announced
 * before it started that have not started yet (their `started` key is absent), then each new one,
 * until `stopped()`. Reads from the last entry it saw, so none falls between the two.
 */
export async function* announcements(client: Client, stopped: () => boolean): AsyncGenerator<Announcement> {
  const recent = ((await client.call('XREVRANGE', ANNOUNCE_STREAM, '+', '-', 'COUNT', '20')) as RawEntry[]).reverse();
  let last = recent.length > 0 ? recent[recent.length - 1][0] : '0-0';
  const seen = new Set<string>();
  for (const [, fields] of recent) {
    const announced = fieldsOf(fields);
    const keys = runKeys(announced.run, []);
    if (seen.has(announced.run)) continue;
    if ((await client.call('EXISTS', keys.spec)) === 1 && (await client.call('EXISTS', keys.started)) === 0) {
      seen.add(announced.run);
      yield announced;
    }
  }
  while (!stopped()) {
    const reply = await client.call('XREAD', 'BLOCK', '1000', 'STREAMS', ANNOUNCE_STREAM, last);
    for (const [id, fields] of entriesOf(reply)) {
      last = id;
      const announced = fieldsOf(fields);
      if (seen.has(announced.run)) continue;
      seen.add(announced.run);
      yield announced;
    }
  }
}

function fieldsOf(fields: readonly string[]): Announcement {
  const out: Announcement = {};
  for (let f = 0; f + 1 < fields.length; f += 2) out[fields[f]] = fields[f + 1];
  return out;
}
