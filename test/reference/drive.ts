/**
 * Drives record operators in one thread, the way a partition task would: records are
 * written into a small ring of shared columns in batches, each batch's slots pushed through
 * the pipeline, then "committed" (so the next batch may reuse their slots and bytes); the
 * last stage collects rows as [stamp, ...fields]. Plus the multiset comparison the query
 * tests use.
 */
import type { RowField, RowSink, SlotStage } from '../../engines/records/record-stage.js';
import type { Row } from './nexmark-reference.js';

/** A sink that keeps every row it is given, copied, as [stamp, ...fields]. */
export class Collector implements RowSink {
  readonly rows: Row[] = [];
  finished = 0;

  row(eventTimeUs: number, fields: readonly RowField[]): void {
    this.rows.push([eventTimeUs, ...fields]);
  }

  finish(): void {
    this.finished++;
  }
}

/**
 * Writes records `from` .. `to` − 1 with `write(offset, committed)` (false: no room) in
 * batches of `batch`, pushing each batch's slots into `stage` before committing it.
 */
export function drive(stage: SlotStage, write: (offset: number, committed: number) => boolean, mask: number, from: number, to: number, batch = 500): void {
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    for (let offset = start; offset < end; offset++) {
      if (!write(offset, start)) throw new Error(`no room for record ${offset} in the test ring`);
    }
    for (let offset = start; offset < end; offset++) stage.push(offset & mask);
  }
}

/** Rows as a sorted list of their JSON texts: equal lists ⇔ equal multisets. */
export function multiset(rows: readonly Row[]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}
