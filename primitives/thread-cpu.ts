/**
 * CPU time of the calling thread (the main thread, a worker, the generator's thread), for
 * CPU by role. Linux's `/proc/thread-self/schedstat` gives each thread's time on a CPU in
 * nanoseconds; `process.cpuUsage()` would add up every thread of the process.
 */
import { readFileSync } from 'node:fs';

/** CPU time this thread has used so far, µs; undefined where the system does not say (not Linux). */
export function threadCpuUs(): number | undefined {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU µs used since `startUs` (a {@link threadCpuUs} reading); undefined if either reading is missing. */
export function threadCpuSince(startUs: number | undefined): number | undefined {
  const now = threadCpuUs();
  return now === undefined || startUs === undefined ? undefined : now - startUs;
}
