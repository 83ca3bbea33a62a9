/**
 * Nexmark q1, currency conversion: every bid with its price converted from dollars to euros,
 * `0.908 × price`, as (auction, bidder, price, dateTime, extra). Nexmark's output type is
 * DECIMAL(23, 3); to stay exact, the price is emitted in thousandths of a euro, the integer
 * `price × 908` (below 2^53 for any Nexmark price).
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';

/** The q1 operator's settings. */
export interface CurrencyConversionSpec {
  /** Thousandths of the target currency per unit (default 908: Nexmark's dollar → euro). */
  rateMilli?: number;
  /** Emit `extra`; default true. */
  extra?: boolean;
}

/** q1: bids with converted prices. */
export class CurrencyConversion implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly auction: Int32Array;
  private readonly bidder: Int32Array;
  private readonly price: Int32Array;
  private readonly strings: StringArena;
  private readonly extraColumn: number;
  private readonly rateMilli: number;
  private readonly withExtra: boolean;
  private readonly fields: RowField[];

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: CurrencyConversionSpec = {}) {
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.auction = columns.int32('auction');
    this.bidder = columns.int32('bidder');
    this.price = columns.int32('price');
    this.strings = columns.strings;
    this.extraColumn = columns.stringColumn('extra');
    this.rateMilli = spec.rateMilli ?? 908;
    this.withExtra = spec.extra ?? true;
    this.fields = this.withExtra ? [0, 0, 0, 0, ''] : [0, 0, 0, 0];
  }

  push(slot: number): void {
    if (this.kind[slot] !== EventKind.bid) return;
    const fields = this.fields;
    const time = this.dateTime[slot];
    fields[0] = this.auction[slot];
    fields[1] = this.bidder[slot];
    fields[2] = this.price[slot] * this.rateMilli;
    fields[3] = time;
    if (this.withExtra) fields[4] = this.strings.decode(slot, this.extraColumn);
    this.next.row(time, fields);
  }

  finish(): void {
    this.next.finish();
  }

  snapshotState(): null {
    return null;
  }

  restoreState(): void {}
}
