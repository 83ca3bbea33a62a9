/**
 * The source side of a record query (issue 14): writes each scheduled record's fields into
 * its partition's shared record columns, beside the source log's ring (slot = offset mod
 * slots). Record n of the schedule is a pure function of (seed, n) stamped with its event
 * time: Nexmark event n (`NexmarkGenerator.eventAt(n, eventTimeUs)`), sentence n, or ad
 * event n, so every mode and the reference evaluator see the same records.
 *
 * {@link RecordWriter.prepare} generates record n and returns its partitioning key, chosen so
 * that each query's keyed state stays on one partition:
 * - a global query (q5, q7, wordcount: `GLOBAL_QUERIES`): 0 for every record (partition 0);
 * - Nexmark otherwise: a person by its id, an auction by its seller, a bid by its auction —
 *   so q3's and q8's person ⋈ auction on `person.id = auction.seller` meet on one partition;
 * - json-ingest: the ad's number (its windowed count is per ad).
 * {@link RecordWriter.write} then writes the prepared record at an offset, or refuses it
 * (false, nothing written) when its strings would overwrite bytes of a record not yet
 * committed (`StringArena`'s live-byte bound): the load generator counts it as it counts a
 * record a full ring refuses. Bytes are released as the consumer commits: the oldest live
 * record is the partition's committed offset.
 */
import { RecordColumns, type RecordColumnsBuffers } from '../../primitives/record-columns.js';
import { NEXMARK_SCHEMA, TEXT_SCHEMA } from '../../engines/records/schemas.js';
import { GLOBAL_QUERIES, QUERY_SOURCE, type RecordQuery } from '../../engines/records/record-query.js';
import { NexmarkColumns } from '../nexmark/event-columns.js';
import { NexmarkGenerator } from '../nexmark/nexmark-generator.js';
import type { NexmarkEvent } from '../nexmark/model.js';
import { AdEventGenerator } from './ad-event-generator.js';
import { SentenceGenerator } from './sentence-generator.js';
import { writeText } from './text-columns.js';

/** Arena bytes per slot (Nexmark's events average ~157 string bytes; an ad document ~230). */
export const RECORD_ARENA_BYTES_PER_SLOT = 320;
/** At most this many arena bytes per partition, whatever the ring's slots (a record past them is refused and counted). */
export const MAX_ARENA_BYTES = 48 * 2 ** 20;

/** What a generator writing a record query's source starts with (structured-cloneable). */
export interface RecordSourcePlan {
  readonly query: RecordQuery;
  readonly seed: number;
  /** The record columns of every partition. */
  readonly columns: readonly RecordColumnsBuffers[];
}

/** Allocates one partition's record columns for `query`'s source over `slots` slots (the log's capacity). */
export function createRecordColumns(query: RecordQuery, slots: number): RecordColumns {
  const schema = QUERY_SOURCE[query] === 'nexmark' ? NEXMARK_SCHEMA : TEXT_SCHEMA;
  return RecordColumns.create(schema, slots, Math.min(MAX_ARENA_BYTES, slots * RECORD_ARENA_BYTES_PER_SLOT));
}

/** Writes a record query's source records into the partitions' columns. */
export class RecordWriter {
  private readonly global: boolean;
  private readonly nexmark: NexmarkGenerator | undefined;
  private readonly sentences: SentenceGenerator | undefined;
  private readonly ads: AdEventGenerator | undefined;
  private readonly events: NexmarkColumns[] = [];
  private readonly texts: RecordColumns[] = [];
  private event: NexmarkEvent | undefined;
  private text = '';
  private eventTimeUs = 0;

  constructor(plan: RecordSourcePlan) {
    const source = QUERY_SOURCE[plan.query];
    this.global = GLOBAL_QUERIES.has(plan.query);
    if (source === 'nexmark') {
      this.nexmark = new NexmarkGenerator({ seed: plan.seed });
      this.events = plan.columns.map((buffers) => new NexmarkColumns(buffers));
    } else {
      this.texts = plan.columns.map((buffers) => new RecordColumns(buffers));
      if (source === 'text') this.sentences = new SentenceGenerator(plan.seed);
      else this.ads = new AdEventGenerator(plan.seed);
    }
  }

  /** Generates record `index` of the schedule at `eventTimeUs`; returns its partitioning key. */
  prepare(index: number, eventTimeUs: number): number {
    this.eventTimeUs = eventTimeUs;
    if (this.nexmark !== undefined) {
      const event = (this.event = this.nexmark.eventAt(index, eventTimeUs));
      if (this.global) return 0;
      return event.kind === 'person' ? event.id : event.kind === 'auction' ? event.seller : event.auction;
    }
    if (this.sentences !== undefined) {
      this.text = this.sentences.recordAt(index, eventTimeUs).text;
      return 0;
    }
    const record = (this.ads as AdEventGenerator).recordAt(index, eventTimeUs);
    this.text = record.text;
    return this.global ? 0 : record.adIndex;
  }

  /** Writes the prepared record as `offset` of `partition`; false (nothing written) if its strings would overwrite a record at or after `committed`. */
  write(partition: number, offset: number, committed: number): boolean {
    if (this.event !== undefined) return this.events[partition].write(offset, this.event, committed);
    return writeText(this.texts[partition], offset, this.eventTimeUs, this.text, committed);
  }
}
