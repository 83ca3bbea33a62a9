/**
 * One partition of `serve`'s bridge between the broker and a mode's engine. The intake reads the
 * partition's input stream with the consumer group (XREADGROUP) into the local source log the
 * engine consumes; the output side takes the results the engine emitted (the output tap) and,
 * once the engine has committed the input they came from, writes them to the output stream and
 * acknowledges that input — in one script, so results and acknowledgements commit together.
 *
 * Recovery (a restarted `serve`): the group remembers what was delivered and acknowledged. The
 * acknowledged prefix is replayed silently (results suppressed, not acknowledged again) to rebuild
 * the engine's keyed state — lineage, as Spark recovers; the entries delivered to the dead
 * process but never acknowledged are claimed (XAUTOCLAIM) and processed again with their results.
 */
import type { SourceLog } from '../../primitives/source-log.js';
import { decodeEntry, GROUP, type PartitionStreams } from './contract.js';
import { entriesOf, type Client, type RawEntry, type ScriptedClient } from './broker.js';
import { groupState, pause } from './broker-spec.js';
import { SeenSet } from './seen-set.js';

/** Largest number of results one publish script writes (a script holds the broker while it runs). */
const PUBLISH_CHUNK = 2000;
/** Largest number of input IDs one publish script acknowledges. */
const ACK_CHUNK = 8000;

/** A failure of the bridge that ends `serve` with one line. */
export class BridgeFailure extends Error {}

/** Counters of one partition. */
export interface BridgeCounters {
  /** Input records appended to the local log (replayed ones included). */
  appended: number;
  /** Records of the acknowledged prefix replayed silently after a restart. */
  replayed: number;
  /** Entries delivered to an earlier consumer, claimed and processed again. */
  redelivered: number;
  /** Input entries seen twice (a producer's re-sent XADD: a record or an end marker), acknowledged and skipped. */
  inputDuplicates: number;
  /** Results written to the output stream. */
  written: number;
}

export class BridgePartition {
  readonly counters: BridgeCounters = { appended: 0, replayed: 0, redelivered: 0, inputDuplicates: 0, written: 0 };
  /** Whether the input has ended (every producer's end marker) and every record is in the local log. */
  finished = false;
  /** Stream IDs and schedule indexes of the local offsets not yet acknowledged. */
  private readonly inputs = new InputIds();
  /** Local offset below which inputs are acknowledged. */
  private acked = 0;
  /** Offsets below this were replayed silently: their results were written before the restart. */
  private silentBelow = 0;
  private lastId = '0-0';
  /** Producers whose end marker is in (a re-sent copy of one is a duplicate, not another end). */
  private readonly ended = new Set<number>();
  private expected = 0;
  /** Schedule indexes appended: a producer's re-sent XADD (its reply lost in a broker restart) is recognised. */
  private readonly seen = new SeenSet();
  /** Results waiting for their input's commit: event time, key, value, input offset, index known. */
  private readonly queue: { t: number[]; k: number[]; v: number[]; at: number[]; head: number } = { t: [], k: [], v: [], at: [], head: 0 };
  /** Publishes sent and not yet answered, in order. */
  private readonly inflight: Promise<unknown>[] = [];
  /** The input IDs each of those (or one waiting to be sent) acknowledges: neither lost nor new while they are out. */
  private readonly acking = new Set<string[]>();
  /** Entries acknowledged with the next publish whatever the commit: end markers, duplicates. */
  private ackNext: string[] = [];

  constructor(
    readonly partition: number,
    readonly streams: PartitionStreams,
    private readonly log: SourceLog,
    private readonly producers: number,
    private readonly consumer: string,
    /** Sees every result taken from the engine (replayed ones too): `serve`'s digest check. */
    private readonly onResult: (key: number, value: number) => void,
  ) {}

  /** After a restart: replays the acknowledged prefix silently and claims what the dead consumer held. */
  async recover(commands: Client): Promise<void> {
    const state = await groupState(commands, this.streams.input);
    if (!state || (state.entriesRead === 0 && state.pending === 0)) return;
    const pending = (await commands.call('XPENDING', this.streams.input, GROUP, '-', '+', 1)) as [string, string, number, number][];
    const firstPending = pending[0]?.[0];
    const end = firstPending ? `(${firstPending}` : state.lastDeliveredId;
    this.silentBelow = Infinity; // until the prefix is in: nothing replayed is published or acknowledged again
    let from = '-';
    for (;;) {
      const entries = (await commands.call('XRANGE', this.streams.input, from, end, 'COUNT', '4096')) as RawEntry[];
      if (entries.length === 0) break;
      for (const entry of entries) await this.append(entry);
      from = `(${entries[entries.length - 1][0]}`;
    }
    this.silentBelow = this.acked = this.counters.replayed = this.counters.appended;
    this.ackNext = [];
    let cursor = '0-0';
    do {
      const [next, entries] = (await commands.call('XAUTOCLAIM', this.streams.input, GROUP, this.consumer, '0', cursor, 'COUNT', '1000')) as [string, RawEntry[]];
      for (const entry of entries) {
        if (entry[1] === null) continue;
        await this.append(entry);
        this.counters.redelivered++;
      }
      cursor = next;
    } while (cursor !== '0-0');
    this.log.publish(this.partition, this.counters.appended);
    this.checkFinished();
  }

  /**
   * Reads the input until it ends. `reconnected()` tells whether the connection was re-made since
   * it last asked (a broker restart): then the entries delivered to this consumer in a reply that
   * was lost are claimed back ({@link claimLost}) — before the input may count as ended, since the
   * read that ends it can be the one re-sent after the reconnect: a producer re-sent its XADDs
   * too, so the records are all in, yet the lost reply's originals are still pending.
   */
  async intake(client: Client, stopped: () => boolean, reconnected: () => boolean): Promise<void> {
    while (!stopped()) {
      if (reconnected()) await this.claimLost(client);
      if (this.finished) return;
      const room = this.log.capacity - (this.counters.appended - this.log.committed(this.partition));
      if (room <= 0) {
        await pause(1);
        continue;
      }
      const reply = await client.call('XREADGROUP', 'GROUP', GROUP, this.consumer, 'COUNT', String(Math.min(4096, room)), 'BLOCK', '100', 'STREAMS', this.streams.input, '>');
      for (const entry of entriesOf(reply)) if (entry[1] !== null) await this.append(entry);
      this.log.publish(this.partition, this.counters.appended);
      this.checkFinished();
    }
  }

  /**
   * Entries the group delivered to this consumer that it never saw (the reply was lost when the
   * broker went down; the group kept them pending): claims them again and appends them, in the
   * order found (a keyed count's results are the same set whatever the order within a key). A
   * claimed copy of an entry already in (a producer's re-sent XADD) is acknowledged as a duplicate.
   * Entries whose acknowledgement is on its way (on the other connection, maybe waiting for it to
   * be re-made too) are pending as well: they are known, not lost.
   */
  private async claimLost(client: Client): Promise<void> {
    const pending = (await client.call('XPENDING', this.streams.input, GROUP, '-', '+', '100000', this.consumer)) as [string][];
    const known = new Set([...this.inputs.unacknowledged(), ...this.ackNext, ...[...this.acking].flat()]);
    const lost = pending.map(([id]) => id).filter((id) => !known.has(id));
    if (lost.length === 0) return;
    const entries = (await client.call('XCLAIM', this.streams.input, GROUP, this.consumer, '0', ...lost)) as RawEntry[];
    for (const entry of entries) if (entry && entry[1] !== null) await this.append(entry, false);
    this.log.publish(this.partition, this.counters.appended);
    this.checkFinished();
  }

  /** Appends one input entry to the local log (waiting for room), or counts an end marker; `ordered`: skip IDs not past the last one. */
  private async append([id, fields]: RawEntry, ordered = true): Promise<void> {
    if (ordered && compareIds(id, this.lastId) <= 0) return;
    if (compareIds(id, this.lastId) > 0) this.lastId = id;
    const entry = decodeEntry(fields);
    if (!entry) throw new BridgeFailure(`malformed input entry ${id} on ${this.streams.input}: ${JSON.stringify(fields)} (the contract: fields t, k, v, i, or end)`);
    if (entry.kind === 'end') {
      if (this.ended.has(entry.producer)) this.counters.inputDuplicates++;
      else {
        this.ended.add(entry.producer);
        this.expected += entry.count;
      }
      this.ackNext.push(id);
      return;
    }
    // Once the input has ended every record is in: a record claimed after that is a copy too.
    if (this.finished || (entry.i >= 0 && !this.seen.addIfNew(entry.i))) {
      this.counters.inputDuplicates++;
      this.ackNext.push(id);
      return;
    }
    const log = this.log;
    while (log.capacity - (this.counters.appended - log.committed(this.partition)) <= 0) await pause(1);
    const slot = log.slot(this.partition, this.counters.appended);
    log.eventTime[slot] = entry.t;
    log.key[slot] = entry.k;
    log.value[slot] = entry.v;
    this.inputs.push(id, entry.i);
    this.counters.appended++;
  }

  private checkFinished(): void {
    if (!this.finished && this.ended.size >= this.producers && this.counters.appended === this.expected) {
      this.log.publish(this.partition, this.counters.appended);
      this.log.markFinished(this.partition);
      this.finished = true;
    }
  }

  /** A result the engine emitted, from the input at local offset `inputOffset`. */
  take(eventTimeUs: number, key: number, value: number, inputOffset: number): void {
    const q = this.queue;
    q.t.push(eventTimeUs);
    q.k.push(key);
    q.v.push(value);
    q.at.push(inputOffset);
  }

  /** Whether results are waiting for their input's commit. */
  get waiting(): boolean {
    return this.queue.head < this.queue.t.length;
  }

  /**
   * Writes the results whose input is committed and acknowledges the committed input: one
   * script per chunk, results before acknowledgements (sent, not awaited: they run in order on
   * one connection; the next publish waits for them). A commit of at most {@link PUBLISH_CHUNK} results
   * and {@link ACK_CHUNK} inputs is one script, so its results and acknowledgements commit
   * together; a larger one may, after a crash between its scripts, deliver results twice, never
   * lose one. `knownIndex`: whether a result's input offset names its input (the tap), or only the
   * emission it came with (an engine of one's own: its results carry no index).
   */
  async publish(client: Client & ScriptedClient, knownIndex: boolean, force = false): Promise<void> {
    const committed = force ? this.counters.appended : this.log.committed(this.partition);
    const q = this.queue;
    const results: string[] = [];
    while (q.head < q.t.length && (force || q.at[q.head] < committed)) {
      const at = q.at[q.head];
      this.onResult(q.k[q.head], q.v[q.head]);
      if (at >= this.silentBelow) {
        const index = knownIndex ? this.inputs.indexAt(at) : -1;
        results.push(String(q.t[q.head]), String(q.k[q.head]), String(q.v[q.head]), index >= 0 ? String(index) : '');
      }
      q.head++;
    }
    if (q.head === q.t.length || q.head > 65536) {
      for (const column of [q.t, q.k, q.v, q.at]) column.splice(0, q.head);
      q.head = 0;
    }
    const acks = this.ackNext;
    this.ackNext = [];
    const upTo = Math.max(committed, this.acked);
    for (let offset = Math.max(this.acked, this.silentBelow); offset < upTo; offset++) acks.push(this.inputs.idAt(offset));
    this.inputs.dropBelow(upTo);
    this.acked = upTo;
    const n = results.length / 4;
    if (n === 0 && acks.length === 0) return;
    this.acking.add(acks);
    // One publish in flight per partition: while it is out, results gather for the next (as a
    // producer with one request in flight batches), so a busy broker gets fewer, larger scripts.
    await this.settle();
    this.counters.written += n;
    const resultChunks = Math.max(1, Math.ceil(n / PUBLISH_CHUNK));
    const ackChunks = Math.max(1, Math.ceil(acks.length / ACK_CHUNK));
    // Results first, the acknowledgements from the last results chunk on: scripts resultChunks − 1 + ackChunks in all.
    const scripts: Promise<unknown>[] = [];
    for (let c = 0; c < resultChunks - 1 + ackChunks; c++) {
      const chunk = results.slice(c * PUBLISH_CHUNK * 4, (c + 1) * PUBLISH_CHUNK * 4);
      const ackFrom = c - (resultChunks - 1);
      const ids = ackFrom >= 0 ? acks.slice(ackFrom * ACK_CHUNK, (ackFrom + 1) * ACK_CHUNK) : [];
      if (chunk.length === 0 && ids.length === 0) continue;
      scripts.push(client.publishAndAck(this.streams.output, this.streams.input, GROUP, String(chunk.length / 4), ...chunk, ...ids));
    }
    this.inflight.push(Promise.all(scripts).finally(() => this.acking.delete(acks)));
  }

  /** Waits for every publish sent so far. */
  async settle(): Promise<void> {
    while (this.inflight.length > 0) await this.inflight.shift();
  }

  /** Writes the end-of-output marker: how many results this partition wrote. */
  async end(client: Client): Promise<void> {
    await this.settle();
    await client.call('XADD', this.streams.output, '*', 'end', String(this.counters.written));
  }
}

/** Orders two stream IDs (`ms-seq`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

/** Stream ID and schedule index per local offset, from the oldest unacknowledged one (a queue with a moving base). */
class InputIds {
  private ids: string[] = [];
  private indexes: number[] = [];
  private head = 0;
  /** Local offset of `ids[head]`. */
  private base = 0;

  push(id: string, index: number): void {
    this.ids.push(id);
    this.indexes.push(index);
  }

  idAt(offset: number): string {
    return this.ids[this.head + offset - this.base];
  }

  /** The IDs not yet acknowledged. */
  unacknowledged(): string[] {
    return this.ids.slice(this.head);
  }

  indexAt(offset: number): number {
    return offset >= this.base ? (this.indexes[this.head + offset - this.base] ?? -1) : -1;
  }

  /** Forgets offsets below `offset`. */
  dropBelow(offset: number): void {
    if (offset <= this.base) return;
    this.head += offset - this.base;
    this.base = offset;
    if (this.head > 65536 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.indexes = this.indexes.slice(this.head);
      this.head = 0;
    }
  }
}
