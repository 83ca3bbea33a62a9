/**
 * The record queries a scenario may run instead of a scalar pipeline (issue 14): the Nexmark
 * queries q0 q1 q2 q3 q5 q7 q8 over a Nexmark source, wordcount over sentences (a `text`
 * source) and json-ingest over JSON ad events (a `json` source). A query names its source kind, its window lengths (at
 * Nexmark's scale, divided by the scenario's declared `windowScale`) and whether it is a
 * global aggregate: one whose result needs every record on one partition (q5's and q7's
 * maximum over all auctions, wordcount's keyed count of words without a shuffle stage).
 * Such a query's source keys every record 0, so it runs on partition 0 alone; the others key
 * records so that each query's keyed state stays partition-local (see
 * `scenarios/records/record-writer.ts`).
 *
 * The task's part ({@link RecordTaskSettings}) travels in the partition task's input: the
 * query, the scale and the shared columns of every partition (each task wraps its own).
 */
import type { RecordColumnsBuffers } from '../../primitives/record-columns.js';

/** Every record query, in display order. */
export const RECORD_QUERIES = ['q0', 'q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'wordcount', 'json-ingest'] as const;

/** A record query. */
export type RecordQuery = (typeof RECORD_QUERIES)[number];

/** Where a query's records come from: Nexmark events, sentences (`text`), or YSB-like JSON ad documents (`json`). */
export type RecordSourceKind = 'nexmark' | 'text' | 'json';

/** Every record source kind. */
export const RECORD_SOURCES: readonly RecordSourceKind[] = ['nexmark', 'text', 'json'];

/** The source each query reads. */
export const QUERY_SOURCE: Readonly<Record<RecordQuery, RecordSourceKind>> = {
  q0: 'nexmark',
  q1: 'nexmark',
  q2: 'nexmark',
  q3: 'nexmark',
  q5: 'nexmark',
  q7: 'nexmark',
  q8: 'nexmark',
  wordcount: 'text',
  'json-ingest': 'json',
};

/** Queries whose result needs every record on one partition: their source keys every record 0. */
export const GLOBAL_QUERIES: ReadonlySet<RecordQuery> = new Set<RecordQuery>(['q5', 'q7', 'wordcount']);

/** Window lengths at scale 1 (ms): Nexmark's 10 s (q5: every 2 s), YSB's 10 s for json-ingest. */
const WINDOWS_MS: Partial<Record<RecordQuery, { sizeMs: number; slideMs?: number }>> = {
  q5: { sizeMs: 10_000, slideMs: 2_000 },
  q7: { sizeMs: 10_000 },
  q8: { sizeMs: 10_000 },
  'json-ingest': { sizeMs: 10_000 },
};

/** The largest declared window scale (10 s windows become 10 ms). */
export const MAX_WINDOW_SCALE = 1000;

/** A query's window (ms) at `windowScale` (windows `windowScale`× shorter); undefined for an unwindowed query. */
export function queryWindow(query: RecordQuery, windowScale: number): { sizeMs: number; slideMs?: number } | undefined {
  const window = WINDOWS_MS[query];
  if (window === undefined) return undefined;
  return { sizeMs: window.sizeMs / windowScale, ...(window.slideMs !== undefined ? { slideMs: window.slideMs / windowScale } : {}) };
}

/** What a scenario with a record source declares. */
export interface RecordSourceSpec {
  readonly source: RecordSourceKind;
  readonly query: RecordQuery;
  /** Windows are this many times shorter than the query's (1 = Nexmark's own lengths). */
  readonly windowScale: number;
}

/** A record query's part of a partition task's input. */
export interface RecordTaskSettings {
  readonly query: RecordQuery;
  readonly windowScale: number;
  /** The shared record columns of every partition, by partition (slot = offset mod slots, as the source log's ring). */
  readonly columns: readonly RecordColumnsBuffers[];
}
