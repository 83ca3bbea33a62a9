/**
 * Nexmark q3, local item suggestion: an incremental (unwindowed) join of persons and
 * auctions on `auction.seller = person.id`, for auctions in category 10 by sellers in
 * Oregon, Idaho or California, emitting (name, city, state, auction id) as soon as both
 * sides have arrived — whichever comes second, stamped with its event time.
 *
 * Keyed state, as Beam's Query3 keeps it: the selected persons (id → name, city, state,
 * decoded once, when a person passes the state filter — compared as bytes, without
 * decoding), and the selected auctions whose seller has not arrived yet (seller → auction
 * ids; Nexmark names sellers up to 10 ids ahead of the last person). Person ids are unique
 * in Nexmark, so a person's arrival settles its pending auctions: they are emitted (if the
 * person was selected) or dropped (if not), and never kept. The persons' state grows with
 * the run (as a regular join's does without a state TTL). Keyed by person id: a partitioned
 * run must route persons by id and auctions by seller.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';

/** The q3 operator's settings. */
export interface IncrementalJoinSpec {
  /** Sellers' states to keep (default Nexmark's OR, ID, CA). */
  states?: readonly string[];
  /** The auctions' category to keep (default 10). */
  category?: number;
}

/** A selected person's output fields. */
type PersonFields = [name: string, city: string, state: string];

interface JoinState {
  persons: Map<number, PersonFields>;
  pending: Map<number, number[]>;
}

/** q3: persons ⋈ auctions, incrementally, with keyed state. */
export class IncrementalJoin implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly id: Int32Array;
  private readonly seller: Int32Array;
  private readonly category: Int32Array;
  private readonly strings: StringArena;
  private readonly columnOf: { name: number; city: number; state: number };
  private readonly states: Uint8Array[];
  private readonly wantedCategory: number;
  private readonly fields: RowField[] = ['', '', '', 0];
  private state: JoinState = { persons: new Map(), pending: new Map() };

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: IncrementalJoinSpec = {}) {
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.id = columns.int32('id');
    this.seller = columns.int32('seller');
    this.category = columns.int32('category');
    this.strings = columns.strings;
    this.columnOf = { name: columns.stringColumn('name'), city: columns.stringColumn('city'), state: columns.stringColumn('state') };
    const encoder = new TextEncoder();
    this.states = (spec.states ?? ['OR', 'ID', 'CA']).map((state) => encoder.encode(state));
    this.wantedCategory = spec.category ?? 10;
  }

  push(slot: number): void {
    const kind = this.kind[slot];
    if (kind === EventKind.person) this.person(slot);
    else if (kind === EventKind.auction && this.category[slot] === this.wantedCategory) this.auction(slot);
  }

  private person(slot: number): void {
    const id = this.id[slot];
    const pending = this.state.pending.get(id);
    if (pending !== undefined) this.state.pending.delete(id);
    if (!this.selected(slot)) return;
    const person: PersonFields = [this.strings.decode(slot, this.columnOf.name), this.strings.decode(slot, this.columnOf.city), this.strings.decode(slot, this.columnOf.state)];
    this.state.persons.set(id, person);
    if (pending !== undefined) for (const auction of pending) this.emit(this.dateTime[slot], person, auction);
  }

  private auction(slot: number): void {
    const seller = this.seller[slot];
    const person = this.state.persons.get(seller);
    if (person !== undefined) {
      this.emit(this.dateTime[slot], person, this.id[slot]);
      return;
    }
    const pending = this.state.pending.get(seller);
    if (pending === undefined) this.state.pending.set(seller, [this.id[slot]]);
    else pending.push(this.id[slot]);
  }

  private selected(slot: number): boolean {
    for (const state of this.states) if (this.strings.equals(slot, this.columnOf.state, state)) return true;
    return false;
  }

  private emit(eventTimeUs: number, person: PersonFields, auction: number): void {
    this.fields[0] = person[0];
    this.fields[1] = person[1];
    this.fields[2] = person[2];
    this.fields[3] = auction;
    this.next.row(eventTimeUs, this.fields);
  }

  finish(): void {
    this.next.finish();
  }

  snapshotState(): JoinState {
    return structuredClone(this.state);
  }

  restoreState(state: unknown): void {
    this.state = structuredClone(state as JoinState);
  }
}
