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
 * committed (`StringArena`'s live-byte bound) or the columns' ring (which may be smaller than
 * the log's) holds no free slot: the load generator counts it as it counts a record a full
 * ring refuses. Bytes are released as the consumer commits: the oldest live
 * record is the partition's committed offset.
 */
import { RecordColumns, type RecordColumnsBuffers, type RecordSchema } from '../../primitives/record-columns.js';
import { NEXMARK_SCHEMA, TEXT_SCHEMA } from '../../engines/records/schemas.js';
import { GLOBAL_QUERIES, QUERY_SOURCE, type RecordQuery } from '../../engines/records/record-query.js';
import { NexmarkColumns } from '../nexmark/event-columns.js';
import { NexmarkGenerator } from '../nexmark/nexmark-generator.js';
import type { NexmarkEvent } from '../nexmark/model.js';
import { AdEventGenerator } from './ad-event-generator.js';
import { SentenceGenerator } from './sentence-generator.js';
import { writeText } from './text-columns.js';

/** Arena bytes per slot (Nexmark's events average ~157 string bytes; an ad document ~230). */
export const RECORD_ARENA_BYTES_PER_SLOT = 192;
/**
 * At most this many record slots per partition, whatever the log's capacity: the retention of
 * records with a schema (uncommitted records past it are refused and counted, as past a full
 * ring). 2^18 slots of Nexmark events are ~85 MB per partition, all touched when allocated.
 */
export const MAX_RECORD_SLOTS = 1 << 18;

/** What a generator writing a record query's source starts with (structured-cloneable). */
export interface RecordSourcePlan {
  readonly query: RecordQuery;
  readonly seed: number;
  /** The record columns of every partition. */
  readonly columns: readonly RecordColumnsBuffers[];
}

/** The record schema of `query`'s source. */
export function recordSchemaOf(query: RecordQuery): RecordSchema {
  return QUERY_SOURCE[query] === 'nexmark' ? NEXMARK_SCHEMA : TEXT_SCHEMA;
}

/**
 * Allocates one partition's record columns for `query`'s source: as many slots as the log's
 * ring (`logCapacity`) up to {@link MAX_RECORD_SLOTS}, 192 string bytes a slot. Every page is
 * touched here (as the source log pre-faults its ring), so the trial's memory does not grow
 * as the run first reaches each slot: it is flat however long the run.
 */
export function createRecordColumns(query: RecordQuery, logCapacity: number): RecordColumns {
  const schema = recordSchemaOf(query);
  const slots = Math.min(logCapacity, MAX_RECORD_SLOTS);
  const columns = RecordColumns.create(schema, slots, slots * RECORD_ARENA_BYTES_PER_SLOT);
  const { numeric, strings } = columns.buffers;
  for (const buffer of [...numeric, strings.data, strings.spans, strings.starts]) if (buffer) new Uint8Array(buffer).fill(0);
  return columns;
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
