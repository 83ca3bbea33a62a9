/**
 * Records with a declared schema, as columns in shared memory: one typed array per numeric
 * column (Int32 or Float64) and a {@link StringArena} for the string columns, over a ring of
 * `slots` records — the same ring discipline as a source-log partition (slot = offset mod
 * slots), meant to sit beside it so that a record's fields are read at its offset's slot.
 *
 * The schema travels with the buffers (plain data), so a thread that receives
 * {@link RecordColumnsBuffers} can look its columns up by name; a lookup checks the kind, so
 * an operator that reads `price` as Int32 from a schema that declares it Float64 fails at
 * construction, not with wrong numbers. Timestamps are Float64 microseconds, like the source
 * log's event time; JSON text is a string column.
 */
import { StringArena, type StringArenaBuffers } from './string-arena.js';

/** How a column is stored. */
export type ColumnKind = 'int32' | 'float64' | 'string';

/** One column of a record schema. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** A record schema: its columns, in order. */
export type RecordSchema = readonly ColumnSpec[];

/** The shared memory behind {@link RecordColumns}; structured-cloneable. */
export interface RecordColumnsBuffers {
  readonly schema: RecordSchema;
  /** Record slots; a power of two. */
  readonly slots: number;
  /** One buffer per column in schema order; null for a string column (its bytes are in `strings`). */
  readonly numeric: readonly (SharedArrayBuffer | null)[];
  readonly strings: StringArenaBuffers;
}

/** A view over shared {@link RecordColumnsBuffers}. */
export class RecordColumns {
  readonly schema: RecordSchema;
  readonly slots: number;
  readonly mask: number;
  readonly strings: StringArena;
  private readonly views: (Int32Array | Float64Array | null)[];
  /** Column index → its index among the string columns (−1 for a numeric one). */
  private readonly stringIndex: number[];

  /**
   * Allocates columns for `slots` records (rounded up to a power of two) of `schema`, with
   * `arenaBytes` bytes for their strings (at least one byte, even with no string column).
   */
  static create(schema: RecordSchema, slots: number, arenaBytes: number): RecordColumns {
    const names = new Set<string>();
    for (const column of schema) {
      if (names.has(column.name)) throw new Error(`record schema: column "${column.name}" is declared twice`);
      names.add(column.name);
    }
    const stringColumns = schema.filter((column) => column.kind === 'string').length;
    const strings = StringArena.create(slots, Math.max(1, stringColumns), Math.max(1, arenaBytes));
    const ring = strings.slots;
    const numeric = schema.map((column) =>
      column.kind === 'string' ? null : new SharedArrayBuffer(ring * (column.kind === 'int32' ? 4 : 8)),
    );
    return new RecordColumns({ schema, slots: ring, numeric, strings: strings.buffers });
  }

  constructor(readonly buffers: RecordColumnsBuffers) {
    this.schema = buffers.schema;
    this.slots = buffers.slots;
    this.mask = buffers.slots - 1;
    this.strings = new StringArena(buffers.strings);
    let strings = 0;
    this.stringIndex = this.schema.map((column) => (column.kind === 'string' ? strings++ : -1));
    this.views = this.schema.map((column, i) => {
      const buffer = buffers.numeric[i];
      if (column.kind === 'string' || buffer === null) return null;
      return column.kind === 'int32' ? new Int32Array(buffer) : new Float64Array(buffer);
    });
  }

  /** The ring slot of a record offset. */
  slot(offset: number): number {
    return offset & this.mask;
  }

  /** The Int32 column `name` (throws if the schema has no such Int32 column). */
  int32(name: string): Int32Array {
    return this.numericView(name, 'int32') as Int32Array;
  }

  /** The Float64 column `name` (throws if the schema has no such Float64 column). */
  float64(name: string): Float64Array {
    return this.numericView(name, 'float64') as Float64Array;
  }

  /** The arena column index of string column `name`, for {@link StringArena} reads (throws if none). */
  stringColumn(name: string): number {
    const at = this.indexOf(name, 'string');
    return this.stringIndex[at];
  }

  /** Decodes string column `name` at `slot` (a convenience; hot paths resolve the column once). */
  stringAt(name: string, slot: number): string {
    return this.strings.decode(slot, this.stringColumn(name));
  }

  private numericView(name: string, kind: ColumnKind): Int32Array | Float64Array {
    return this.views[this.indexOf(name, kind)] as Int32Array | Float64Array;
  }

  private indexOf(name: string, kind: ColumnKind): number {
    const at = this.schema.findIndex((column) => column.name === name);
    if (at < 0) throw new Error(`record schema has no column "${name}" (columns: ${this.schema.map((c) => c.name).join(', ')})`);
    if (this.schema[at].kind !== kind) throw new Error(`record column "${name}" is ${this.schema[at].kind}, not ${kind}`);
    return at;
  }
}
