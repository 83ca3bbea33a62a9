/**
 * The stage interfaces of the record operators (issue 14): operators over records with a
 * declared schema, whose fields sit in shared columns (`primitives/record-columns.ts`).
 *
 * Two kinds of stage, so nothing is copied or decoded before an operator asks:
 * - a {@link SlotStage} is the first operator of a pipeline: it is handed a source record as
 *   its slot in the columns (`offset mod slots`, the source log's discipline) and reads the
 *   fields it needs from there — a number is an array read, a string is decoded only if the
 *   operator needs its text (a filter on a string can compare bytes);
 * - a {@link RowStage} takes the rows an earlier operator emits: a short array of numbers and
 *   strings, stamped with an event time. A row's array is the emitter's to reuse: a stage
 *   reads it during the call and copies what it keeps. Its last stage is a {@link RowSink}
 *   (the measuring sink, in the task loop; a collector, in tests).
 *
 * An operator that keeps a record beyond the call copies the fields it needs (the slot is
 * reused once the record is committed). Every operator has `snapshotState`/`restoreState`
 * (a structured-cloneable copy; null for a stateless one), for recovery at commit points.
 *
 * How this plugs into the task loop: the partition task wraps the partition's
 * `RecordColumnsBuffers` once at start, builds the pipeline (SlotStage → RowStages → a
 * RowSink that records latency from the row's event time, counts it and folds
 * {@link hashRow} into the digest), and for each offset in [committed, end) calls
 * `push(offset & mask)` where the scalar pipeline calls `push(eventTime, key, value)`.
 */

/** A field of an output row. */
export type RowField = number | string;

/** Where rows go. */
export interface RowSink {
  /**
   * One row, stamped with its event time (µs; for a window's row, the largest event time
   * in the window). `fields` may be reused by the caller once the call returns.
   */
  row(eventTimeUs: number, fields: readonly RowField[]): void;
  /** The end of the input (a bounded run's final watermark): flush and pass it on. */
  finish(): void;
}

/** What every record operator can do for recovery. */
export interface Recoverable {
  /** A structured-cloneable copy of the operator's state (null when it has none). */
  snapshotState(): unknown;
  /** Replaces the state with a copy taken by {@link snapshotState}. */
  restoreState(state: unknown): void;
}

/** The first operator of a record pipeline: takes source records by slot. */
export interface SlotStage extends Recoverable {
  push(slot: number): void;
  finish(): void;
}

/** An operator over rows, emitting rows. */
export interface RowStage extends RowSink, Recoverable {}

/** Counters an operator reports at the end of a run. */
export interface RecordCounters {
  /** Records that arrived for a window that had already fired. */
  lateDropped: number;
  /** Records whose text did not parse (json-ingest). */
  parseErrors: number;
}

/** Fresh zeroed {@link RecordCounters}. */
export function recordCounters(): RecordCounters {
  return { lateDropped: 0, parseErrors: 0 };
}

/** Event-time settings of a windowed operator. */
export interface EventTimeSpec {
  /** The watermark trails the largest event time seen by this much (ms; default 0). */
  maxOutOfOrdernessMs?: number;
  /** A window fires this long after the watermark passes its end (ms; default 0). */
  allowedLatenessMs?: number;
}

/**
 * An order-insensitive digest term of a row (what a sink folds into its digest): FNV-1a over
 * each field's text, so rows that are equal hash equal on every thread.
 */
export function hashRow(fields: readonly RowField[]): number {
  let h = 0x811c9dc5;
  for (let f = 0; f < fields.length; f++) {
    const text = typeof fields[f] === 'number' ? String(fields[f]) : (fields[f] as string);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (typeof fields[f] === 'number' ? 0x1f : 0x1e), 0x01000193);
  }
  return h >>> 0;
}
