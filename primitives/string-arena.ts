/**
 * A string arena in shared memory: the UTF-8 bytes of a ring of records' string fields, so
 * strings cross threads the way the source log's numbers do — no per-record object, no
 * copy, decoded only when an operator asks.
 *
 * Layout (all `SharedArrayBuffer`, structured-cloneable as {@link StringArenaBuffers}):
 * - `data`: a byte ring of `bytes` bytes;
 * - `spans`: per slot and string column, the field's byte position in `data` and its byte
 *   length (Int32 pairs, `(slot × columns + column) × 2`);
 * - `starts`: per slot, the absolute byte position (a Float64 integer) where the slot's
 *   strings begin; the writer uses it to tell which bytes are still live;
 * - `control`: the writer's head, the absolute position after the last written byte.
 *
 * Ring-aware and bounded: records are written in offset order, each one's strings
 * contiguously (a record that would straddle the end of `data` starts again at 0, leaving
 * the tail unused for that lap). The bytes still needed are those from the start of the
 * oldest live record (the consumer's committed offset) to the head; {@link StringArena.begin}
 * refuses a record whose bytes would overwrite them, so the caller can reject it (as the
 * source log rejects a record when its ring is full). A slot's spans are reused when the slot
 * is, and its bytes when the head laps them: memory is `bytes` + 16 bytes × slots × columns,
 * however long the run.
 *
 * Writing and reading go through one Buffer view of `data`: `Buffer#write(text, at, room,
 * 'utf8')` and `Buffer#toString('utf8', at, end)`, which allocate no view and no result
 * object per call. On Node 20 here they measured cheaper than `TextEncoder.encodeInto` into a
 * `subarray` (whose JS wrapper was ~45% of the write path in a CPU profile) and than
 * `TextDecoder.decode`. {@link StringArena.equals} and {@link StringArena.hash} compare and
 * hash bytes without decoding at all.
 *
 * One writer thread (it alone calls begin/put/end); any number of readers, which read a slot
 * only after its record is published (the source log's `Atomics.store` of the end offset
 * orders these plain writes before the readers' `Atomics.load`).
 */

/** The shared memory behind a {@link StringArena}. */
export interface StringArenaBuffers {
  /** Record slots in the ring; a power of two. */
  readonly slots: number;
  /** String columns per record. */
  readonly columns: number;
  /** Bytes in the byte ring. */
  readonly bytes: number;
  readonly data: SharedArrayBuffer;
  readonly spans: SharedArrayBuffer;
  readonly starts: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

const HEAD = 0;

/** A view over shared {@link StringArenaBuffers}; every thread wraps the same memory. */
export class StringArena {
  readonly slots: number;
  readonly columns: number;
  readonly bytes: number;
  private readonly data: Uint8Array;
  private readonly text: Buffer;
  private readonly spans: Int32Array;
  private readonly starts: Float64Array;
  private readonly control: Float64Array;
  private readonly mask: number;
  /** The slot being written (between begin and end). */
  private openSlot = -1;
  /** The open record's absolute start, and its start, next byte and reserved end in the ring. */
  private start = 0;
  private ringStart = 0;
  private cursor = 0;
  private limit = 0;

  /** Allocates an arena for `slots` records (rounded up to a power of two) of `columns` string fields over `bytes` bytes. */
  static create(slots: number, columns: number, bytes: number): StringArena {
    if (!(columns >= 1 && bytes >= 1)) throw new RangeError(`a string arena needs at least one column and one byte (got ${columns}, ${bytes})`);
    const ring = 2 ** Math.ceil(Math.log2(Math.max(2, slots)));
    return new StringArena({
      slots: ring,
      columns,
      bytes,
      data: new SharedArrayBuffer(bytes),
      spans: new SharedArrayBuffer(ring * columns * 2 * 4),
      starts: new SharedArrayBuffer(ring * 8),
      control: new SharedArrayBuffer(8),
    });
  }

  /** The most bytes `text` can take in UTF-8 (3 per UTF-16 unit): what to pass to {@link begin}. */
  static maxBytes(text: string): number {
    return text.length * 3;
  }

  constructor(readonly buffers: StringArenaBuffers) {
    this.slots = buffers.slots;
    this.columns = buffers.columns;
    this.bytes = buffers.bytes;
    this.mask = buffers.slots - 1;
    this.data = new Uint8Array(buffers.data);
    this.text = Buffer.from(buffers.data);
    this.spans = new Int32Array(buffers.spans);
    this.starts = new Float64Array(buffers.starts);
    this.control = new Float64Array(buffers.control);
  }

  /** The absolute byte position after the last byte written (it only grows; `% bytes` is the ring position). */
  get head(): number {
    return this.control[HEAD];
  }

  /**
   * Opens record `offset` (its slot is `offset mod slots`) for up to `maxBytes` bytes of
   * strings, unless they would overwrite bytes of a live record: one at an offset from
   * `oldestLiveOffset` (the consumer's committed offset) up to `offset`. Returns false then,
   * and writes nothing. Every offset must be opened, in increasing order, even one with no
   * strings (`maxBytes` 0). Throws if a record of `maxBytes` could never fit.
   */
  begin(offset: number, maxBytes: number, oldestLiveOffset: number): boolean {
    if (maxBytes > this.bytes) throw new RangeError(`a record of up to ${maxBytes} string bytes can never fit an arena of ${this.bytes}`);
    if (offset - oldestLiveOffset >= this.slots) return false;
    let position = this.control[HEAD];
    const inRing = position % this.bytes;
    if (inRing + maxBytes > this.bytes) position += this.bytes - inRing;
    const floor = oldestLiveOffset < offset ? this.starts[oldestLiveOffset & this.mask] : position;
    if (position + maxBytes - floor > this.bytes) return false;
    const slot = offset & this.mask;
    this.starts[slot] = position;
    this.openSlot = slot;
    this.start = position;
    this.ringStart = position % this.bytes;
    this.cursor = this.ringStart;
    this.limit = this.ringStart + maxBytes;
    return true;
  }

  /** Writes `text` as string column `column` of the open record. */
  put(column: number, text: string): void {
    const at = this.cursor;
    let written = 0;
    if (text.length > 0) {
      const room = this.limit - at;
      written = this.text.write(text, at, room, 'utf8');
      if (written === room && Buffer.byteLength(text, 'utf8') > room) throw new RangeError('string arena: a record wrote more bytes than its begin() reserved');
    }
    const span = (this.openSlot * this.columns + column) * 2;
    this.spans[span] = at;
    this.spans[span + 1] = written;
    this.cursor = at + written;
  }

  /**
   * Writes `texts[i]` as string column `columns[i]` of the open record, in one native write
   * when they are all ASCII (the common case: a call per string costs more than its bytes),
   * else one write each. The arrays are the caller's to reuse.
   */
  putAll(columns: readonly number[], texts: readonly string[]): void {
    let joined = '';
    for (let i = 0; i < texts.length; i++) joined += texts[i];
    const at = this.cursor;
    const room = this.limit - at;
    const written = joined.length === 0 ? 0 : this.text.write(joined, at, room, 'utf8');
    // `written` equals the length only if every character took one byte — unless the write
    // stopped at a full reservation, where a multi-byte text may also land on it.
    if (written !== joined.length || (written === room && Buffer.byteLength(joined, 'utf8') !== written)) {
      // Some character took more than one byte (or did not fit): write them one at a time.
      for (let i = 0; i < texts.length; i++) this.put(columns[i], texts[i]);
      return;
    }
    let position = at;
    for (let i = 0; i < texts.length; i++) {
      const span = (this.openSlot * this.columns + columns[i]) * 2;
      this.spans[span] = position;
      this.spans[span + 1] = texts[i].length;
      position += texts[i].length;
    }
    this.cursor = position;
  }

  /** Marks column `column` of the open record as having no string (length 0). */
  putEmpty(column: number): void {
    const span = (this.openSlot * this.columns + column) * 2;
    this.spans[span] = this.cursor;
    this.spans[span + 1] = 0;
  }

  /** Closes the open record: its bytes are now part of the ring up to the head. */
  end(): void {
    this.control[HEAD] = this.start + (this.cursor - this.ringStart);
    this.openSlot = -1;
  }

  /** The byte length of a slot's string in `column`. */
  byteLength(slot: number, column: number): number {
    return this.spans[(slot * this.columns + column) * 2 + 1];
  }

  /** The byte position of a slot's string in `column` (in the ring, `0 .. bytes`). */
  byteOffset(slot: number, column: number): number {
    return this.spans[(slot * this.columns + column) * 2];
  }

  /** Decodes a slot's string in `column` (allocates the string: the cost an operator asks for). */
  decode(slot: number, column: number): string {
    const span = (slot * this.columns + column) * 2;
    const at = this.spans[span];
    return this.text.toString('utf8', at, at + this.spans[span + 1]);
  }

  /** The raw UTF-8 byte at `index` of a slot's string (no bounds check beyond the ring). */
  byteAt(slot: number, column: number, index: number): number {
    return this.data[this.spans[(slot * this.columns + column) * 2] + index];
  }

  /** Whether a slot's string in `column` is exactly these UTF-8 bytes (no decode). */
  equals(slot: number, column: number, utf8: Uint8Array): boolean {
    const span = (slot * this.columns + column) * 2;
    const length = this.spans[span + 1];
    if (length !== utf8.length) return false;
    const at = this.spans[span];
    for (let i = 0; i < length; i++) if (this.data[at + i] !== utf8[i]) return false;
    return true;
  }

  /** FNV-1a (32-bit) of a slot's string bytes in `column`, without decoding. */
  hash(slot: number, column: number): number {
    const span = (slot * this.columns + column) * 2;
    const at = this.spans[span];
    const end = at + this.spans[span + 1];
    let h = 0x811c9dc5;
    for (let i = at; i < end; i++) h = Math.imul(h ^ this.data[i], 0x01000193);
    return h >>> 0;
  }
}
