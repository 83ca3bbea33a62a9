/**
 * keyBy(field) + a running count per key, over rows: emits (key, count so far) for every row
 * — the second stage of wordcount (key: the word). The state is one count per key seen.
 */
import type { RowField, RowStage, RowSink } from './record-stage.js';

/** The keyed count's settings. */
export interface KeyedRowCountSpec {
  /** The row field that is the key (default 0). */
  keyField?: number;
}

/** A running count per key. */
export class KeyedRowCount implements RowStage {
  private readonly keyField: number;
  private counts = new Map<RowField, number>();
  private readonly fields: RowField[] = ['', 0];

  constructor(private readonly next: RowSink, spec: KeyedRowCountSpec = {}) {
    this.keyField = spec.keyField ?? 0;
  }

  row(eventTimeUs: number, fields: readonly RowField[]): void {
    const key = fields[this.keyField];
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    this.fields[0] = key;
    this.fields[1] = count;
    this.next.row(eventTimeUs, this.fields);
  }

  finish(): void {
    this.next.finish();
  }

  snapshotState(): Map<RowField, number> {
    return new Map(this.counts);
  }

  restoreState(state: unknown): void {
    this.counts = new Map(state as Map<RowField, number>);
  }
}
