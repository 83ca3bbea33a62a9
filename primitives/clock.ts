/**
 * One clock for every thread of a run.
 *
 * Times are microseconds (floating point) since the run's origin. Every thread builds a
 * {@link SystemClock} from the same origin, read from the process-wide monotonic clock
 * (`process.hrtime`), so a record stamped on the generator thread and emitted on a worker
 * thread yields a latency with no skew between threads.
 */
export interface Clock {
  /** Microseconds since the run's origin. */
  now(): number;
  /** Calls `callback` once the clock reaches `atUs`; returns a function that cancels it. */
  setTimer(atUs: number, callback: () => void): () => void;
}

/** Microseconds on the process-wide monotonic clock (the same value on every thread). */
export function monotonicUs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e6 + nanoseconds / 1e3;
}

/**
 * The real clock. `performance.now()` is the cheapest high-resolution read, but its origin is
 * per thread; the offset to the process-wide monotonic clock is measured once at construction
 * (the tightest of a few paired reads), so `now()` costs one `performance.now()`.
 */
export class SystemClock implements Clock {
  private readonly offsetUs: number;

  /** @param originUs the run's origin on the {@link monotonicUs} scale, shared by all threads. */
  constructor(readonly originUs: number = monotonicUs()) {
    let best = Infinity;
    let offset = 0;
    for (let i = 0; i < 25; i++) {
      const before = performance.now();
      const mono = monotonicUs();
      const after = performance.now();
      if (after - before < best) {
        best = after - before;
        offset = mono - ((before + after) / 2) * 1000;
      }
    }
    this.offsetUs = offset - originUs;
  }

  now(): number {
    return performance.now() * 1000 + this.offsetUs;
  }

  /**
   * A timer that fires close to `atUs`: Node's `setTimeout` has millisecond granularity and
   * wakes up to a millisecond late, so it sleeps until ~1.5 ms before the deadline and then
   * yields with `setImmediate` until the deadline passes (p99 lateness well under 1 ms).
   */
  setTimer(atUs: number, callback: () => void): () => void {
    let cancelled = false;
    let handle: NodeJS.Timeout | NodeJS.Immediate | undefined;
    const poll = (): void => {
      if (cancelled) return;
      const remainingUs = atUs - this.now();
      if (remainingUs <= 0) {
        callback();
      } else if (remainingUs > 1500) {
        handle = setTimeout(poll, Math.floor((remainingUs - 1500) / 1000));
      } else {
        handle = setImmediate(poll);
      }
    };
    poll();
    return () => {
      cancelled = true;
      if (handle !== undefined) {
        clearTimeout(handle as NodeJS.Timeout);
        clearImmediate(handle as NodeJS.Immediate);
      }
    };
  }
}

/** A clock that only moves when told to: for testing timing logic without sleeps. */
export class ManualClock implements Clock {
  private timeUs: number;
  private timers: { atUs: number; seq: number; callback: () => void }[] = [];
  private seq = 0;

  constructor(startUs = 0) {
    this.timeUs = startUs;
  }

  now(): number {
    return this.timeUs;
  }

  setTimer(atUs: number, callback: () => void): () => void {
    const timer = { atUs, seq: this.seq++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward to `timeUs + deltaUs`, firing due timers in time order on the way. */
  advance(deltaUs: number): void {
    this.advanceTo(this.timeUs + deltaUs);
  }

  /** Moves time to `targetUs`, firing each due timer at its own time, in order. */
  advanceTo(targetUs: number): void {
    for (;;) {
      const due = this.timers
        .filter((t) => t.atUs <= targetUs)
        .sort((a, b) => a.atUs - b.atUs || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.timeUs = Math.max(this.timeUs, due.atUs);
      due.callback();
    }
    this.timeUs = Math.max(this.timeUs, targetUs);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.length;
  }
}
