/**
 * Nexmark q2, selection: the bids on a few auctions, `auction mod 123 = 0`, as
 * (auction, price). Reads two Int32 columns per bid and decodes nothing.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';

/** The q2 operator's settings. */
export interface SelectionSpec {
  /** Keep bids whose auction id is a multiple of this (default 123, Nexmark's). */
  modulus?: number;
}

/** q2: bids on every `modulus`-th auction. */
export class Selection implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly auction: Int32Array;
  private readonly price: Int32Array;
  private readonly modulus: number;
  private readonly fields: RowField[] = [0, 0];

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: SelectionSpec = {}) {
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.auction = columns.int32('auction');
    this.price = columns.int32('price');
    this.modulus = spec.modulus ?? 123;
  }

  push(slot: number): void {
    if (this.kind[slot] !== EventKind.bid) return;
    const auction = this.auction[slot];
    if (auction % this.modulus !== 0) return;
    this.fields[0] = auction;
    this.fields[1] = this.price[slot];
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
