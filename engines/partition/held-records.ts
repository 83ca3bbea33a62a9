/**
 * The output records a measuring sink holds until they are emitted: one event time per
 * record, and the time the engine first read them in runs — the task sets the read time once
 * per batch, stretch or lane pass ({@link HeldRecords.readTimeUs}), so consecutive records
 * share it and it is stored once per run, not per record (8 bytes of buffer per held record).
 *
 * Held records are the indices [first, pending) of {@link HeldRecords.eventTimes}; run r
 * covers [start(r), start(r + 1)) (the last one up to `pending`) and is read at `read(r)`.
 * Generated code appends to `eventTimes` at `pending` itself (`MeasuringSink.codegen`).
 */

/** Where held records go when they are taken: one call per run of records read at the same time. */
export interface HeldRunTarget {
  /** The held records [from, to) of `eventTimes`, all first read at `readTimeUs`, emitted at `emitUs`. */
  emit(eventTimes: Float64Array, from: number, to: number, readTimeUs: number, emitUs: number): void;
}

/** Initial capacity of the buffer, records. */
const INITIAL_RECORDS = 1024;

/** The held records of a sink (see the file's doc). */
export class HeldRecords {
  /** Event time of each held record, at [first, pending). */
  eventTimes = new Float64Array(INITIAL_RECORDS);
  /** One past the last held record. */
  pending = 0;
  /** The oldest held record. */
  first = 0;
  private runStarts = new Int32Array(16);
  private runReads = new Float64Array(16);
  /** The oldest run still holding records. */
  private headRun = 0;
  /** Runs in use: [headRun, runs); the last is open (new records join it). */
  private runs = 1;

  /** Records held. */
  get size(): number {
    return this.pending - this.first;
  }

  /** When the records pushed from now on were first read (µs); records held keep theirs. */
  get readTimeUs(): number {
    return this.runReads[this.runs - 1];
  }

  set readTimeUs(us: number) {
    const last = this.runs - 1;
    if (this.runReads[last] === us) return;
    if (this.runStarts[last] === this.pending) {
      this.runReads[last] = us;
      return;
    }
    if (this.runs === this.runStarts.length) this.growRuns();
    this.runStarts[this.runs] = this.pending;
    this.runReads[this.runs] = us;
    this.runs++;
  }

  /** Appends one record (generated code does the same in line). */
  push(eventTimeUs: number): void {
    if (this.pending === this.eventTimes.length) this.grow(this.pending + 1);
    this.eventTimes[this.pending++] = eventTimeUs;
  }

  /** Makes room for `outputs` more records after the first `held` (generated code reserves a chunk's worth before its loop). */
  reserve(outputs: number, held: number = this.pending): void {
    if (held + outputs > this.eventTimes.length) this.grow(held + outputs);
  }

  /** Grows the buffer to hold at least `records` (doubling, or straight to the size asked); keeps all it held (generated code's count may be ahead of `pending`). */
  grow(records: number): void {
    const eventTimes = new Float64Array(Math.max(this.eventTimes.length * 2, records));
    eventTimes.set(this.eventTimes);
    this.eventTimes = eventTimes;
  }

  /**
   * Hands the held records [first, to) to `target`, run by run, oldest first, as emitted at
   * `emitUs`, and then holds them no more. Returns how many were taken.
   */
  take(to: number, target: HeldRunTarget, emitUs: number): number {
    const from = this.first;
    const end = to < this.pending ? to : this.pending;
    if (end <= from) return 0;
    if (this.runs === 1) {
      // One run (the usual case): all read at the same time.
      target.emit(this.eventTimes, from, end, this.runReads[0], emitUs);
      if (end === this.pending) this.first = this.pending = 0;
      else this.first = end;
    } else {
      this.takeRuns(from, end, target, emitUs);
    }
    return end - from;
  }

  /** {@link take} of [from, end) across several runs. */
  private takeRuns(from: number, end: number, target: HeldRunTarget, emitUs: number): void {
    let run = this.headRun;
    for (; run < this.runs; run++) {
      const runEnd = run + 1 < this.runs ? this.runStarts[run + 1] : this.pending;
      const start = Math.max(this.runStarts[run], from);
      const stop = Math.min(runEnd, end);
      if (stop > start) target.emit(this.eventTimes, start, stop, this.runReads[run], emitUs);
      if (runEnd > end) break;
    }
    this.release(end, run);
  }

  /** Drops every held record; returns how many. */
  discard(): number {
    const n = this.size;
    this.release(this.pending, this.runs - 1);
    return n;
  }

  /** Holds only [to, pending) now; `run` is the run that holds `to` (or the last). */
  private release(to: number, run: number): void {
    if (to >= this.pending) {
      this.first = this.pending = 0;
      // Empty: one open run from 0, read when the last run was (already so with a single run).
      if (this.runs === 1) return;
      this.runReads[0] = this.runReads[this.runs - 1];
      this.runStarts[0] = 0;
      this.headRun = 0;
      this.runs = 1;
      return;
    }
    this.first = Math.max(this.first, to);
    this.headRun = Math.min(run, this.runs - 1);
  }

  private growRuns(): void {
    const starts = new Int32Array(this.runStarts.length * 2);
    const reads = new Float64Array(this.runReads.length * 2);
    starts.set(this.runStarts);
    reads.set(this.runReads);
    this.runStarts = starts;
    this.runReads = reads;
  }
}
