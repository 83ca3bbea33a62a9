/**
 * Keyed state under a memory budget: a hot table in memory (a chained hash table over typed
 * arrays, so its size in bytes is what the budget says, not a guess about JavaScript objects)
 * whose coldest entries spill to a {@link SpillTable} on disk when it is full, and are read
 * back when a record needs them again.
 *
 * - Each entry is a key (a double: a record key, or a window and a key), `width` int32 values,
 *   a link to the next entry of its bucket and one byte of flags (used, recently used); there
 *   is a bucket head per entry. Entries never move, so a slot stays valid until it is evicted.
 * - Eviction is the clock algorithm (second chance): a hand sweeps the entries, clearing the
 *   recently-used flag of each it passes, and evicts those already clear, a batch at a time
 *   (1/16 of the table), written to disk in one transaction.
 * - A miss looks on disk only where the entry may be there (`mayBeOnDisk`, e.g. a filter of the
 *   keys ever spilled), so a key seen for the first time costs no disk read. What is read back
 *   stays on disk too (a later eviction overwrites it); readers of the whole state let memory win.
 *
 * Entry values are read and written in place: {@link BudgetedTable.slotOf} returns the slot of
 * a key (loaded from disk, or new with zeros), valid until the next call that may evict.
 */
import { mix32 } from '../../primitives/random.js';
import type { SpillTable } from './spill-store.js';

/** Flags of a slot. */
const EMPTY = 0;
const USED = 1;
const RECENT = 3;
/** No entry (an empty bucket, the end of a chain or of the free list). */
const NONE = -1;

/** What a table needs besides its disk table and budget. */
export interface TableHooks {
  /** Whether `key` may have been spilled (false: a miss needs no disk read). Default: always look. */
  mayBeOnDisk?: (key: number) => boolean;
  /** Called for each key written to disk by an eviction. */
  spilled?: (key: number) => void;
  /** Called with the number of entries held each time it reaches a new peak. */
  held?: (entries: number) => void;
}

/** Bytes an entry of `width` values takes in memory: key, values, chain link, flags, its bucket head, its share of the eviction buffer. */
export function slotBytes(width: number): number {
  return 8 + 4 * width + 4 + 1 + 4 + (8 + 4 * width) / 16;
}

/** The hot part of a budgeted keyed state (see the file's doc). */
export class BudgetedTable {
  /** Most entries held in memory. */
  readonly capacity: number;
  /** The values of every slot: slot s holds values[s·width … s·width + width). */
  readonly values: Int32Array;
  private readonly keys: Float64Array;
  private readonly flags: Uint8Array;
  private readonly next: Int32Array;
  private readonly heads: Int32Array;
  private readonly outKeys: Float64Array;
  private readonly outValues: Int32Array;
  private readonly batch: number;
  private free = NONE;
  private live = 0;
  private peak = 0;
  private hand = 0;

  constructor(
    private readonly disk: SpillTable,
    /** The bytes this table may use: its entries, bucket heads and eviction buffer. */
    budgetBytes: number,
    private readonly hooks: TableHooks = {},
  ) {
    const width = disk.width;
    const capacity = Math.floor(budgetBytes / slotBytes(width));
    if (capacity < 16) throw new Error(`a memory budget of ${budgetBytes} bytes cannot hold a state table (at least ${Math.ceil(16 * slotBytes(width))} bytes)`);
    this.capacity = capacity;
    this.batch = Math.max(1, Math.floor(capacity / 16));
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity * width);
    this.flags = new Uint8Array(capacity);
    this.next = new Int32Array(capacity);
    this.heads = new Int32Array(capacity);
    this.outKeys = new Float64Array(this.batch);
    this.outValues = new Int32Array(this.batch * width);
    this.clear();
  }

  /** Entries held in memory now. */
  get size(): number {
    return this.live;
  }

  /** Bytes the table's arrays take. */
  get bytes(): number {
    return [this.keys, this.values, this.flags, this.next, this.heads, this.outKeys, this.outValues].reduce((sum, array) => sum + array.byteLength, 0);
  }

  /** The slot of `key`: found in memory, read back from disk, or new (values zero); marks it recently used. */
  slotOf(key: number): number {
    const { keys, next, flags } = this;
    const bucket = this.bucketOf(key);
    for (let slot = this.heads[bucket]; slot !== NONE; slot = next[slot]) {
      if (keys[slot] === key) {
        flags[slot] = RECENT;
        return slot;
      }
    }
    if (this.free === NONE) this.evict();
    const slot = this.free;
    this.free = next[slot];
    keys[slot] = key;
    flags[slot] = RECENT;
    next[slot] = this.heads[bucket];
    this.heads[bucket] = slot;
    if (++this.live > this.peak) {
      this.peak = this.live;
      this.hooks.held?.(this.live);
    }
    const width = this.disk.width;
    this.values.fill(0, slot * width, slot * width + width);
    if (this.hooks.mayBeOnDisk?.(key) ?? true) this.disk.read(key, this.values, slot * width);
    return slot;
  }

  /** The key held in `slot`. */
  keyAt(slot: number): number {
    return this.keys[slot];
  }

  /** The slot of `key` if it is in memory, else -1 (nothing read, nothing marked). */
  find(key: number): number {
    for (let slot = this.heads[this.bucketOf(key)]; slot !== NONE; slot = this.next[slot]) if (this.keys[slot] === key) return slot;
    return NONE;
  }

  /** Calls `visit` for every entry in memory (slot order); the table must not change during the walk. */
  forEach(visit: (key: number, slot: number) => void): void {
    const { keys, flags } = this;
    for (let slot = 0; slot < this.capacity; slot++) if (flags[slot] !== EMPTY) visit(keys[slot], slot);
  }

  /** Removes `key` from memory, if held (its copy on disk, if any, stays). */
  remove(key: number): void {
    const slot = this.find(key);
    if (slot !== NONE) this.removeAt(slot);
  }

  /** Empties memory (not the disk). */
  clear(): void {
    this.flags.fill(EMPTY);
    this.heads.fill(NONE);
    for (let slot = 0; slot < this.capacity; slot++) this.next[slot] = slot + 1 < this.capacity ? slot + 1 : NONE;
    this.free = 0;
    this.live = 0;
    this.hand = 0;
  }

  private bucketOf(key: number): number {
    const lo = key % 4294967296 | 0;
    const hi = Math.floor(key / 4294967296) | 0;
    const h = mix32(mix32(0x2545f491, lo), hi) >>> 0;
    return Math.min(this.capacity - 1, Math.floor((h / 4294967296) * this.capacity));
  }

  /** Evicts a batch of entries not recently used (clock), writing them to disk in one transaction. */
  private evict(): void {
    const { flags, keys, values, outKeys, outValues, capacity } = this;
    const width = this.disk.width;
    let evicted = 0;
    while (evicted < this.batch && this.live > 0) {
      const slot = this.hand;
      this.hand = slot + 1 === capacity ? 0 : slot + 1;
      const flag = flags[slot];
      if (flag === RECENT) {
        flags[slot] = USED;
      } else if (flag === USED) {
        outKeys[evicted] = keys[slot];
        for (let c = 0; c < width; c++) outValues[evicted * width + c] = values[slot * width + c];
        this.hooks.spilled?.(keys[slot]);
        evicted++;
        this.removeAt(slot);
      }
    }
    this.disk.write(outKeys, outValues, evicted);
  }

  /** Unlinks `slot` from its bucket's chain and frees it. */
  private removeAt(slot: number): void {
    const { next, heads } = this;
    const bucket = this.bucketOf(this.keys[slot]);
    if (heads[bucket] === slot) {
      heads[bucket] = next[slot];
    } else {
      let before = heads[bucket];
      while (next[before] !== slot) before = next[before];
      next[before] = next[slot];
    }
    this.flags[slot] = EMPTY;
    next[slot] = this.free;
    this.free = slot;
    this.live--;
  }
}

/**
 * The keys a keyed state may have spilled, so a key met for the first time needs no disk read:
 * a bit per key (0 .. keys-1) where that fits in `maxBytes`, else a bit per key modulo the bits
 * there are (a key sharing a bit with a spilled one is looked up on disk for nothing: slower,
 * never wrong).
 */
export class KeyBits {
  readonly bits: Uint8Array;
  private readonly span: number;

  constructor(keys: number, maxBytes: number) {
    this.bits = new Uint8Array(Math.max(1, Math.min(Math.ceil(keys / 8), Math.floor(maxBytes))));
    this.span = this.bits.length * 8;
  }

  set(key: number): void {
    const bit = key % this.span;
    this.bits[bit >>> 3] |= 1 << (bit & 7);
  }

  has(key: number): boolean {
    const bit = key % this.span;
    return (this.bits[bit >>> 3] & (1 << (bit & 7))) !== 0;
  }

  clear(): void {
    this.bits.fill(0);
  }
}
