/**
 * Secondary storage for state that does not fit a partition task's memory budget (the seed's
 * 4.2.3: under memory pressure Spark spills to slower storage so a temporary peak does not
 * stop the pipeline). One embedded LMDB environment per task attempt (lmdb-js: a B+tree in a
 * memory-mapped file; synchronous reads, each in a write transaction that is then aborted so
 * no timer is left pending in a thread that never turns its event loop (`reading`), writes
 * batched in one synchronous transaction per eviction), one named table per budgeted operator.
 * Spilled state is scratch: no fsync (`noSync`), no compression, and a replacement task after a
 * fault starts a fresh environment from its snapshot (which holds what was on disk too).
 *
 * Every write and read-back is measured: records, payload bytes (key and values), the time
 * spent (on the task's clock), and when the latest one ended, so a task can tell the output
 * emitted while its store was busy from the rest (`engines/partition/spill-latency.ts`). A
 * failure of the store (a folder that cannot be written, a full disk) is a {@link SpillError}
 * naming `--spill-dir` and what failed: the task fails with it and the run reports it; nothing
 * is silently lost.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ABORT, open, type Database, type RootDatabase } from 'lmdb';
import type { Clock } from '../../primitives/clock.js';

/** Where and how much a task may keep in memory (plain data: crosses into the task's thread). */
export interface SpillSettings {
  /** The trial's spill folder; each task attempt makes its own environment inside it. */
  dir: string;
  /** The folder the user named (`--spill-dir`), for messages; absent = a temporary folder. */
  named?: string;
}

/** What a task's spill store did (summed over attempts and partitions). */
export interface SpillFigures {
  /** State entries written to disk (evicted from memory), and their payload bytes. */
  spilledRecords: number;
  spilledBytes: number;
  /** Time spent writing them, µs. */
  spillUs: number;
  /** Entries read back from disk (found), their payload bytes, and disk look-ups in all (found or not). */
  readBackRecords: number;
  readBackBytes: number;
  lookups: number;
  /** Time spent in look-ups, µs. */
  readBackUs: number;
  /** Size of the store's files when last measured (the largest over attempts), bytes. */
  diskBytes: number;
  /** Largest number of entries held in memory at once by the task's budgeted operators together (sampled at evictions and snapshots). */
  peakHotEntries: number;
}

/** A failure of the spill store: names the folder and what failed. */
export class SpillError extends Error {
  override readonly name = 'SpillError';
}

/** One named table of fixed-width entries: a key (a double) and `width` int32 values. */
export interface SpillTable {
  readonly width: number;
  /** Writes the first `count` entries of `keys` / `values` (width values each) in one transaction. */
  write(keys: Float64Array, values: Int32Array, count: number): void;
  /** Reads `key`'s values into `out` at `at`; false when the key is not on disk. */
  read(key: number, out: Int32Array, at: number): boolean;
  /**
   * Visits the entries with from ≤ key < to (all entries without bounds) in key order, at most
   * `limit` of them; the values view is valid during the call only. The visitor must not write
   * to the store (read a chunk, then act on it: `limit` bounds what a caller holds).
   */
  scan(from: number | undefined, to: number | undefined, visit: (key: number, values: Int32Array) => void, limit?: number): void;
  /** Removes every entry with from ≤ key < to. */
  removeRange(from: number, to: number): void;
  /** Removes every entry. */
  clear(): void;
}

/** The spill store of one task attempt. */
export interface SpillStore {
  table(name: string, width: number): SpillTable;
  /** Notes how many entries the budgeted operator of table `name` holds in memory now (the peak is over their sum). */
  noteHot(name: string, entries: number): void;
  /** When the latest write or read-back ended, µs on the task's clock (-Infinity before any): see `engines/partition/spill-latency.ts`. */
  readonly lastBusyEndUs: number;
  figures(): SpillFigures;
  /** Closes the store and removes its files. */
  close(): void;
}

/** Opens the LMDB spill store of `partition`'s task attempt inside `settings.dir`. */
export function openSpillStore(settings: SpillSettings, partition: number, clock: Clock): SpillStore {
  return new LmdbSpillStore(settings, partition, clock);
}

/** Attempts of the same partition in one process (a batch task retried on the same thread) get their own folders. */
let attempts = 0;

class LmdbSpillStore implements SpillStore {
  private readonly root: RootDatabase;
  private readonly path: string;
  private readonly where: string;
  private readonly counts = { spilledRecords: 0, spilledBytes: 0, spillUs: 0, readBackRecords: 0, readBackBytes: 0, lookups: 0, readBackUs: 0, peakHotEntries: 0, diskBytes: 0 };
  private readonly hot = new Map<string, number>();
  private closed = false;
  lastBusyEndUs = -Infinity;

  constructor(
    settings: SpillSettings,
    partition: number,
    private readonly clock: Clock,
  ) {
    this.where = settings.named ? `--spill-dir ${settings.named}` : `the temporary spill folder ${settings.dir}`;
    this.path = join(settings.dir, `p${partition}-${process.pid}-${Date.now().toString(36)}-${++attempts}`);
    try {
      mkdirSync(this.path, { recursive: true });
      this.root = open({ path: this.path, maxDbs: 64, noSync: true, noMetaSync: true, compression: false, cache: false });
    } catch (error) {
      throw new SpillError(`${this.where}: cannot open the spill store in ${this.path} (${describe(error)}); give a folder this user can write`);
    }
  }

  table(name: string, width: number): SpillTable {
    const db = this.attempt('open a spill table', () => this.root.openDB<Buffer, number>({ name, encoding: 'binary', keyEncoding: 'ordered-binary' }));
    return new LmdbTable(this, db, width);
  }

  noteHot(name: string, entries: number): void {
    this.hot.set(name, entries);
    let sum = 0;
    for (const held of this.hot.values()) sum += held;
    if (sum > this.counts.peakHotEntries) this.counts.peakHotEntries = sum;
  }

  /** Runs a store operation, turning a failure into a {@link SpillError} that says what failed. */
  attempt<T>(what: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof SpillError) throw error;
      throw new SpillError(`${this.where}: could not ${what} (${describe(error)}); the disk may be full, or the folder not writable`);
    }
  }

  /**
   * Runs `reads` in a write transaction, then aborts it. lmdb-js renews its own read transaction
   * on the first read after a commit and schedules its reset with `setTimeout(…, 0)`: in a task
   * thread, which never turns its event loop during a run, one timer (~150 bytes) per eviction
   * would stay pending. An aborted write transaction (~1 µs) commits and schedules nothing.
   */
  reading<T>(reads: () => T): T {
    let result: T | undefined;
    this.root.transactionSync(() => {
      result = reads();
      return ABORT;
    });
    return result as T;
  }

  /** Accounts a write of `records` entries of `bytes` payload that started at `startUs`. */
  wrote(records: number, bytes: number, startUs: number): void {
    const endUs = this.clock.now();
    const us = endUs - startUs;
    this.lastBusyEndUs = endUs;
    this.counts.spilledRecords += records;
    this.counts.spilledBytes += bytes;
    this.counts.spillUs += us;
  }

  /** Accounts a read (one look-up, or one range read) that started at `startUs` and found `records` entries of `bytes` payload. */
  looked(records: number, bytes: number, startUs: number): void {
    const endUs = this.clock.now();
    const us = endUs - startUs;
    this.lastBusyEndUs = endUs;
    this.counts.lookups++;
    this.counts.readBackUs += us;
    this.counts.readBackRecords += records;
    this.counts.readBackBytes += bytes;
  }

  now(): number {
    return this.clock.now();
  }

  figures(): SpillFigures {
    if (!this.closed) this.counts.diskBytes = Math.max(this.counts.diskBytes, diskSize(this.path));
    return { ...this.counts };
  }

  close(): void {
    if (this.closed) return;
    this.counts.diskBytes = Math.max(this.counts.diskBytes, diskSize(this.path));
    this.closed = true;
    void this.root.close().finally(() => rmSync(this.path, { recursive: true, force: true }));
  }
}

class LmdbTable implements SpillTable {
  private readonly view: Int32Array;
  private readonly entry: Buffer;
  private readonly bytes: number;

  constructor(
    private readonly store: LmdbSpillStore,
    private readonly db: Database<Buffer, number>,
    readonly width: number,
  ) {
    this.view = new Int32Array(width);
    this.entry = Buffer.alloc(4 * width);
    this.bytes = 8 + 4 * width;
  }

  write(keys: Float64Array, values: Int32Array, count: number): void {
    if (count === 0) return;
    const { db, width, entry } = this;
    const startUs = this.store.now();
    this.store.attempt('write spilled state', () =>
      db.transactionSync(() => {
        // One buffer for every entry: a put copies the value into the transaction.
        for (let i = 0; i < count; i++) {
          for (let c = 0; c < width; c++) entry.writeInt32LE(values[i * width + c], c * 4);
          db.put(keys[i], entry);
        }
      }),
    );
    this.store.wrote(count, count * this.bytes, startUs);
  }

  read(key: number, out: Int32Array, at: number): boolean {
    const startUs = this.store.now();
    const found = this.store.attempt('read spilled state back', () =>
      this.store.reading(() => {
        const value = this.db.getBinaryFast(key);
        if (value) for (let c = 0; c < this.width; c++) out[at + c] = value.readInt32LE(c * 4);
        return value !== undefined;
      }),
    );
    this.store.looked(found ? 1 : 0, found ? this.bytes : 0, startUs);
    return found;
  }

  scan(from: number | undefined, to: number | undefined, visit: (key: number, values: Int32Array) => void, limit?: number): void {
    const { view, width } = this;
    const startUs = this.store.now();
    let found = 0;
    const range = { ...(from !== undefined ? { start: from } : {}), ...(to !== undefined ? { end: to } : {}), ...(limit !== undefined ? { limit } : {}) };
    this.store.attempt('read spilled state back', () =>
      this.store.reading(() => {
        for (const { key, value } of this.db.getRange(range)) {
          for (let c = 0; c < width; c++) view[c] = value.readInt32LE(c * 4);
          visit(key, view);
          found++;
        }
      }),
    );
    this.store.looked(found, found * this.bytes, startUs);
  }

  removeRange(from: number, to: number): void {
    const { db } = this;
    this.store.attempt('remove spilled state', () => {
      // Keys read and removed in one write transaction (no read transaction of its own: see `reading`).
      db.transactionSync(() => {
        for (const key of [...db.getKeys({ start: from, end: to })]) void db.remove(key);
      });
    });
  }

  clear(): void {
    this.store.attempt('clear spilled state', () => this.db.clearSync());
  }
}

/** Size of the store's files, bytes (0 when unreadable). */
function diskSize(path: string): number {
  try {
    return statSync(join(path, 'data.mdb')).size;
  } catch {
    return 0;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
