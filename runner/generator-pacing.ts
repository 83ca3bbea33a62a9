/**
 * When the generator's thread publishes (DESIGN.md §5, issue 17). Records are written ahead
 * of their time (`load-generator.ts`), so a publish is a few stores; the question is only
 * when to wake for it without burning a core:
 *
 * - **Per record** while the offered rate is at most `perRecordMaxRate`: sleep until
 *   `spinUs` before the next record is due, then spin to its time. Its lateness is
 *   microseconds; the spinning costs at most `spinUs` per gap (12% of a core at 1k/s).
 * - **On a cadence** above that rate: wake at most once per `cadenceUs` — when the next
 *   record is due, but no sooner than `cadenceUs` after the last publish — and sleep
 *   (`Atomics.wait`) in between, never spinning. A sleep ends late by the OS's wake-up
 *   latency; the pacer learns the low end of that overshoot and sleeps that much less. A
 *   record then waits at most one publish interval: lateness < `cadenceUs` + the wake-up
 *   jitter. It stays a lateness: the record's event time is its scheduled time, so the wait
 *   is in its latency and in `generatorLag`.
 *
 * Pure logic over an injected clock and sleep, so tests run it in simulated time.
 */

/** How the generator's thread paces its publishes. */
export interface PacingSettings {
  /** At rates up to this (records/s) each record is published at its own time, spinning the last `spinUs` before it. */
  perRecordMaxRate: number;
  /** Per-record pacing spins (rather than sleeps) when the next record is due within this many µs. */
  spinUs: number;
  /** Above `perRecordMaxRate`: at most one publish per this many µs, with a sleep between and no spinning. */
  cadenceUs: number;
}

/**
 * How an in-process trial's generator thread paces its publishes: up to 1k records/s each
 * record at its own time, spinning the last 120 µs before it; above, the end offsets every
 * 100 µs with a sleep between (a record then waits at most one publish interval).
 */
export const GENERATOR_PACING: PacingSettings = { perRecordMaxRate: 1000, spinUs: 120, cadenceUs: 100 };

/** What the pacer drives: the generator's view that pacing needs. */
export interface PacedGenerator {
  readonly nextDueUs: number;
  readonly done: boolean;
  pump(nowUs: number): number;
  rateAtUs(atUs: number): number;
}

/** What pacing did, for the run's figures. */
export interface PacingReport {
  /** Pumps (publishes) made. */
  pumps: number;
  /** Sleeps made. */
  sleeps: number;
  /** Pumps made on the cadence (the rest were per record). */
  cadencePumps: number;
}

/** The largest part of a cadence the overshoot estimate may take off a sleep. */
const MAX_OVERSHOOT_SHARE = 0.5;
/**
 * Weights of the latest overshoot in the estimate: a shorter one pulls it down fast, a longer
 * one up slowly, so the estimate follows the low end of the overshoots and a sleep seldom ends
 * before the wake-up time (each early end costs another sleep).
 */
const OVERSHOOT_DOWN = 0.5;
const OVERSHOOT_UP = 1 / 16;

/**
 * Pumps `generator` on time until it is done or `stopped()`: `now` reads the run clock (µs),
 * `sleep(us)` blocks about that long (or less, if woken).
 */
export function paceGenerator(generator: PacedGenerator, now: () => number, sleep: (us: number) => void, stopped: () => boolean, settings: PacingSettings): PacingReport {
  const report: PacingReport = { pumps: 0, sleeps: 0, cadencePumps: 0 };
  const { perRecordMaxRate, spinUs, cadenceUs } = settings;
  const maxOvershootUs = cadenceUs * MAX_OVERSHOOT_SHARE;
  let overshootUs = 0;
  let lastPumpUs = -Infinity;
  while (!generator.done && !stopped()) {
    const nowUs = now();
    const nextUs = generator.nextDueUs;
    if (generator.rateAtUs(nextUs) <= perRecordMaxRate) {
      // Per record: sleep to `spinUs` before it, spin, publish it at its time.
      if (nextUs <= nowUs) {
        generator.pump(nowUs);
        lastPumpUs = nowUs;
        report.pumps++;
      } else if (nextUs - nowUs > spinUs) {
        sleep(nextUs - nowUs - spinUs);
        report.sleeps++;
      }
      continue;
    }
    // On the cadence: publish when a record is due, but not sooner than a cadence after the
    // last publish (less the learnt overshoot, by which a sleep ends late).
    const wakeUs = Math.max(nextUs, lastPumpUs + cadenceUs);
    if (nextUs <= nowUs && nowUs >= wakeUs - overshootUs) {
      generator.pump(nowUs);
      lastPumpUs = nowUs;
      report.pumps++;
      report.cadencePumps++;
      continue;
    }
    // Sleep the overshoot less than what is left (all of it, if that is less).
    const untilUs = wakeUs - nowUs;
    const requestedUs = untilUs > overshootUs ? untilUs - overshootUs : untilUs;
    sleep(requestedUs);
    report.sleeps++;
    const lateUs = now() - nowUs - requestedUs;
    const weight = lateUs < overshootUs ? OVERSHOOT_DOWN : OVERSHOOT_UP;
    overshootUs = Math.min(maxOvershootUs, Math.max(0, overshootUs + weight * (lateUs - overshootUs)));
  }
  return report;
}
