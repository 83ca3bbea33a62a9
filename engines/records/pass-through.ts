/**
 * Nexmark q0, pass-through: every bid, as (auction, bidder, price, dateTime, extra) — the
 * cost of reading a record and handing it on. `extra` is decoded only if the spec asks for
 * it (the default, as q0's output has it); without it, the operator decodes nothing.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';

/** The q0 operator's settings. */
export interface PassThroughSpec {
  /** Emit `extra` (decoded from the arena); default true. */
  extra?: boolean;
}

/** q0: bids, unchanged. */
export class PassThrough implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly auction: Int32Array;
  private readonly bidder: Int32Array;
  private readonly price: Int32Array;
  private readonly strings: StringArena;
  private readonly extraColumn: number;
  private readonly withExtra: boolean;
  private readonly fields: RowField[];

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: PassThroughSpec = {}) {
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.auction = columns.int32('auction');
    this.bidder = columns.int32('bidder');
    this.price = columns.int32('price');
    this.strings = columns.strings;
    this.extraColumn = columns.stringColumn('extra');
    this.withExtra = spec.extra ?? true;
    this.fields = this.withExtra ? [0, 0, 0, 0, ''] : [0, 0, 0, 0];
  }

  push(slot: number): void {
    if (this.kind[slot] !== EventKind.bid) return;
    const fields = this.fields;
    const time = this.dateTime[slot];
    fields[0] = this.auction[slot];
    fields[1] = this.bidder[slot];
    fields[2] = this.price[slot];
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
