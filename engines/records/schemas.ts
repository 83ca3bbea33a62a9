/**
 * The record layouts the record operators read: a Nexmark event (Person, Auction or Bid in
 * one row, tagged by `kind`) and a text record (a sentence or a JSON document). The layouts
 * live here, below the scenarios that write them (`scenarios/nexmark/event-columns.ts`,
 * `scenarios/records/text-columns.ts`), so that an engine's task can wrap the shared columns
 * and its operators can name the fields they read.
 *
 * A Nexmark row has one column per field (not a union of overlapping fields): a field the
 * event's kind lacks is left as it was and never read. Ids and prices are Int32 (Nexmark's
 * are Java longs: ids stay below 2^31 for event numbers below ~3.5·10^10, prices below
 * 2·10^8); times are Float64 microseconds. Per slot: 9 × 4 + 2 × 8 bytes of numbers, 10
 * string spans of 8 bytes, 8 bytes of arena bookkeeping = 140 bytes, plus the strings' bytes.
 */
import type { RecordSchema } from '../../primitives/record-columns.js';

/** The `kind` tag of a Nexmark row. */
export const EventKind = { person: 0, auction: 1, bid: 2 } as const;

/** A value of {@link EventKind}. */
export type EventKindTag = (typeof EventKind)[keyof typeof EventKind];

/** The Nexmark event row (field names as in Nexmark's Person, Auction and Bid). */
export const NEXMARK_SCHEMA: RecordSchema = [
  { name: 'kind', kind: 'int32' },
  /** Every event: its event time (µs), Nexmark's `dateTime`. */
  { name: 'dateTime', kind: 'float64' },
  /** Person.id or Auction.id. */
  { name: 'id', kind: 'int32' },
  { name: 'auction', kind: 'int32' },
  { name: 'bidder', kind: 'int32' },
  { name: 'price', kind: 'int32' },
  { name: 'seller', kind: 'int32' },
  { name: 'category', kind: 'int32' },
  { name: 'initialBid', kind: 'int32' },
  { name: 'reserve', kind: 'int32' },
  { name: 'expires', kind: 'float64' },
  { name: 'name', kind: 'string' },
  { name: 'email', kind: 'string' },
  { name: 'creditCard', kind: 'string' },
  { name: 'city', kind: 'string' },
  { name: 'state', kind: 'string' },
  { name: 'itemName', kind: 'string' },
  { name: 'description', kind: 'string' },
  { name: 'channel', kind: 'string' },
  { name: 'url', kind: 'string' },
  /** Every event: Nexmark's padding to the average event size. */
  { name: 'extra', kind: 'string' },
];

/** A text record: its event time (µs) and its text (a sentence, or a JSON document). */
export const TEXT_SCHEMA: RecordSchema = [
  { name: 'dateTime', kind: 'float64' },
  { name: 'text', kind: 'string' },
];
