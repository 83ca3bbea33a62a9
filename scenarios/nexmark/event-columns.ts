/**
 * Nexmark events in shared columns: writes an event into a ring of {@link RecordColumns}
 * laid out as `NEXMARK_SCHEMA` (`engines/records/schemas.ts`: a `kind` tag, Int32 ids and
 * prices, Float64 times in µs, ten string columns in the UTF-8 arena) and reads its fields
 * back one at a time — `priceAt(slot)`, `auctionAt(slot)`, `stringAt('extra', slot)` —
 * without building an object, so a record crosses threads as a slot number. Only the
 * fields of the event's kind are written; a slot's other columns keep whatever an earlier
 * record left there and are never read. `eventAt(slot)` builds the whole event (tests and
 * the reference side only).
 */
import { RecordColumns, type RecordColumnsBuffers } from '../../primitives/record-columns.js';
import { EventKind, NEXMARK_SCHEMA } from '../../engines/records/schemas.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { NexmarkEvent } from './model.js';

/** The string fields of a Nexmark row. */
export type NexmarkStringField = 'name' | 'email' | 'creditCard' | 'city' | 'state' | 'itemName' | 'description' | 'channel' | 'url' | 'extra';

/** Default arena bytes per slot: Nexmark events average ~157 string bytes at the default sizes. */
export const NEXMARK_ARENA_BYTES_PER_SLOT = 256;

/** Nexmark events over a ring of shared record columns. */
export class NexmarkColumns {
  readonly columns: RecordColumns;
  readonly strings: StringArena;
  readonly kind: Int32Array;
  readonly dateTime: Float64Array;
  readonly id: Int32Array;
  readonly auction: Int32Array;
  readonly bidder: Int32Array;
  readonly price: Int32Array;
  readonly seller: Int32Array;
  readonly category: Int32Array;
  readonly initialBid: Int32Array;
  readonly reserve: Int32Array;
  readonly expires: Float64Array;
  private readonly field: Record<NexmarkStringField, number>;
  /** Per kind: its string columns, and a scratch array for its texts (reused per write). */
  private readonly bidColumns: number[];
  private readonly auctionColumns: number[];
  private readonly personColumns: number[];
  private readonly texts3: string[] = ['', '', ''];
  private readonly texts6: string[] = ['', '', '', '', '', ''];

  /** Allocates columns for `slots` events with `arenaBytes` of string bytes (default 256 per slot). */
  static create(slots: number, arenaBytes = slots * NEXMARK_ARENA_BYTES_PER_SLOT): NexmarkColumns {
    return new NexmarkColumns(RecordColumns.create(NEXMARK_SCHEMA, slots, arenaBytes).buffers);
  }

  constructor(buffers: RecordColumnsBuffers) {
    const columns = (this.columns = new RecordColumns(buffers));
    this.strings = columns.strings;
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.id = columns.int32('id');
    this.auction = columns.int32('auction');
    this.bidder = columns.int32('bidder');
    this.price = columns.int32('price');
    this.seller = columns.int32('seller');
    this.category = columns.int32('category');
    this.initialBid = columns.int32('initialBid');
    this.reserve = columns.int32('reserve');
    this.expires = columns.float64('expires');
    const names: NexmarkStringField[] = ['name', 'email', 'creditCard', 'city', 'state', 'itemName', 'description', 'channel', 'url', 'extra'];
    this.field = Object.fromEntries(names.map((name) => [name, columns.stringColumn(name)])) as Record<NexmarkStringField, number>;
    const f = this.field;
    this.bidColumns = [f.channel, f.url, f.extra];
    this.auctionColumns = [f.itemName, f.description, f.extra];
    this.personColumns = [f.name, f.email, f.creditCard, f.city, f.state, f.extra];
  }

  /** The slot of record `offset`. */
  slot(offset: number): number {
    return offset & this.columns.mask;
  }

  /**
   * Writes `event` as record `offset`, unless its strings would overwrite a record still live
   * (offsets `oldestLiveOffset` .. `offset`, e.g. from the consumer's committed offset):
   * then returns false and writes nothing, and the caller rejects the event.
   */
  write(offset: number, event: NexmarkEvent, oldestLiveOffset = offset): boolean {
    const arena = this.strings;
    const slot = offset & this.columns.mask;
    if (event.kind === 'bid') {
      if (!arena.begin(offset, 3 * (event.channel.length + event.url.length + event.extra.length), oldestLiveOffset)) return false;
      this.kind[slot] = EventKind.bid;
      this.auction[slot] = event.auction;
      this.bidder[slot] = event.bidder;
      this.price[slot] = event.price;
      const texts = this.texts3;
      texts[0] = event.channel;
      texts[1] = event.url;
      texts[2] = event.extra;
      arena.putAll(this.bidColumns, texts);
    } else if (event.kind === 'auction') {
      if (!arena.begin(offset, 3 * (event.itemName.length + event.description.length + event.extra.length), oldestLiveOffset)) return false;
      this.kind[slot] = EventKind.auction;
      this.id[slot] = event.id;
      this.initialBid[slot] = event.initialBid;
      this.reserve[slot] = event.reserve;
      this.expires[slot] = event.expiresUs;
      this.seller[slot] = event.seller;
      this.category[slot] = event.category;
      const texts = this.texts3;
      texts[0] = event.itemName;
      texts[1] = event.description;
      texts[2] = event.extra;
      arena.putAll(this.auctionColumns, texts);
    } else {
      const total = event.name.length + event.email.length + event.creditCard.length + event.city.length + event.state.length + event.extra.length;
      if (!arena.begin(offset, 3 * total, oldestLiveOffset)) return false;
      this.kind[slot] = EventKind.person;
      this.id[slot] = event.id;
      const texts = this.texts6;
      texts[0] = event.name;
      texts[1] = event.email;
      texts[2] = event.creditCard;
      texts[3] = event.city;
      texts[4] = event.state;
      texts[5] = event.extra;
      arena.putAll(this.personColumns, texts);
    }
    this.dateTime[slot] = event.dateTimeUs;
    arena.end();
    return true;
  }

  /** The `kind` tag at `slot` ({@link EventKind}). */
  kindAt(slot: number): number {
    return this.kind[slot];
  }

  /** Event time (µs). */
  dateTimeAt(slot: number): number {
    return this.dateTime[slot];
  }

  /** A bid's price. */
  priceAt(slot: number): number {
    return this.price[slot];
  }

  /** A bid's auction id. */
  auctionAt(slot: number): number {
    return this.auction[slot];
  }

  /** A bid's bidder id. */
  bidderAt(slot: number): number {
    return this.bidder[slot];
  }

  /** A person's or an auction's id. */
  idAt(slot: number): number {
    return this.id[slot];
  }

  /** An auction's seller id. */
  sellerAt(slot: number): number {
    return this.seller[slot];
  }

  /** An auction's category. */
  categoryAt(slot: number): number {
    return this.category[slot];
  }

  /** The arena column of a string field (for byte-level reads: `strings.equals`, `strings.hash`). */
  stringColumn(field: NexmarkStringField): number {
    return this.field[field];
  }

  /** Decodes string field `field` at `slot`. */
  stringAt(field: NexmarkStringField, slot: number): string {
    return this.strings.decode(slot, this.field[field]);
  }

  /** The whole event at `slot`, built as an object (tests and the reference side, not hot paths). */
  eventAt(slot: number): NexmarkEvent {
    const s = (field: NexmarkStringField): string => this.stringAt(field, slot);
    const dateTimeUs = this.dateTime[slot];
    switch (this.kind[slot]) {
      case EventKind.bid:
        return { kind: 'bid', auction: this.auction[slot], bidder: this.bidder[slot], price: this.price[slot], channel: s('channel'), url: s('url'), dateTimeUs, extra: s('extra') };
      case EventKind.auction:
        return {
          kind: 'auction', id: this.id[slot], itemName: s('itemName'), description: s('description'), initialBid: this.initialBid[slot], reserve: this.reserve[slot],
          dateTimeUs, expiresUs: this.expires[slot], seller: this.seller[slot], category: this.category[slot], extra: s('extra'),
        };
      default:
        return { kind: 'person', id: this.id[slot], name: s('name'), email: s('email'), creditCard: s('creditCard'), city: s('city'), state: s('state'), dateTimeUs, extra: s('extra') };
    }
  }
}
