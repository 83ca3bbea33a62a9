/**
 * json-ingest's first stage: parses a text record's JSON document, keeps it if a field has a
 * given value, and emits the chosen fields as a row, stamped with the record's event time —
 * the per-record cost of a JSON pipeline in JavaScript: decode, `JSON.parse` (an object per
 * record), filter, project (YSB's parse → filter `event_type = "view"` → project). A
 * document that does not parse, or is not an object, is dropped and counted (`parseErrors`);
 * a missing field projects as the empty string.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { RecordCounters, RowField, RowSink, SlotStage } from './record-stage.js';

/** The JSON projection's settings. */
export interface JsonProjectionSpec {
  /** The string column holding the document (default `text`). */
  column?: string;
  /** Keep only documents whose `field` is `equals` (strict equality). */
  filter?: { field: string; equals: string | number | boolean };
  /** The fields to emit, in order (numbers and strings; anything else as its JSON text). */
  project: readonly string[];
}

/** parse JSON → filter → project. */
export class JsonProjection implements SlotStage {
  private readonly dateTime: Float64Array;
  private readonly strings: StringArena;
  private readonly column: number;
  private readonly fields: RowField[];

  constructor(columns: RecordColumns, private readonly next: RowSink, private readonly spec: JsonProjectionSpec, private readonly counters: RecordCounters) {
    this.dateTime = columns.float64('dateTime');
    this.strings = columns.strings;
    this.column = columns.stringColumn(spec.column ?? 'text');
    this.fields = spec.project.map(() => '');
  }

  push(slot: number): void {
    let document: unknown;
    try {
      document = JSON.parse(this.strings.decode(slot, this.column));
    } catch {
      this.counters.parseErrors++;
      return;
    }
    if (typeof document !== 'object' || document === null) {
      this.counters.parseErrors++;
      return;
    }
    const record = document as Record<string, unknown>;
    const filter = this.spec.filter;
    if (filter !== undefined && record[filter.field] !== filter.equals) return;
    const project = this.spec.project;
    for (let i = 0; i < project.length; i++) {
      const value = record[project[i]];
      this.fields[i] = typeof value === 'number' || typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
    }
    this.next.row(this.dateTime[slot], this.fields);
  }

  finish(): void {
    this.next.finish();
  }

  snapshotState(): null {
    return null;
  }

  restoreState(): void {}
}
