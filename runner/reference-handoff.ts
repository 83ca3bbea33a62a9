/**
 * A raw thread hand-off reference (DESIGN.md §8), measured in the gate's own job: a
 * MessagePort ping-pong between this thread and a worker, one ping every `spacingUs` (the
 * same record spacing as the run it is compared with), so the worker is woken from the same
 * idle time. `process.hrtime` is one monotonic clock for every thread of the process, so the
 * one-way time (ping sent → worker has it) needs no clock correction.
 */
import { Worker } from 'node:worker_threads';
import { compiledFile } from '../primitives/compiled-file.js';

/** What the hand-off reference measured, µs. */
export interface HandoffReference {
  /** Intended gap between pings, µs. */
  spacingUs: number;
  /** Pings measured (after the discarded warm-up pings). */
  count: number;
  /** Ping sent → worker received it (a sleeping thread woken by a message). */
  oneWay: { p50: number; p90: number; p99: number; mean: number };
  /** Ping sent → reply received here. */
  roundTrip: { p50: number; p90: number; p99: number; mean: number };
}

/** The hand-off figures a gate metric compares with (p50/p90/p99), µs. */
export interface HandoffFigures {
  spacingUs: number;
  oneWay: { p50: number; p90: number; p99: number };
  roundTrip: { p50: number; p90: number; p99: number };
}

const WARMUP_PINGS = 20;
/** The sender sleeps until this close to a ping's time, then spins (µs). */
const SPIN_US = 100;

/** Measures `count` hand-offs at one ping per `spacingUs` µs. */
export async function measureHandoff(spacingUs: number, count = 200): Promise<HandoffReference> {
  const worker = new Worker(compiledFile(import.meta.url, './reference-handoff-worker.js'));
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const oneWay: number[] = [];
  const roundTrip: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    let due = process.hrtime.bigint();
    for (let i = 0; i < WARMUP_PINGS + count; i++) {
      due += BigInt(Math.round(spacingUs * 1000));
      waitUntil(due, sleeper);
      const sent = process.hrtime.bigint();
      const [, received] = await new Promise<[bigint, bigint]>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(sent);
      });
      const back = process.hrtime.bigint();
      if (i < WARMUP_PINGS) continue;
      oneWay.push(Number(received - sent) / 1000);
      roundTrip.push(Number(back - sent) / 1000);
    }
  } finally {
    await worker.terminate();
  }
  return { spacingUs, count, oneWay: summarize(oneWay), roundTrip: summarize(roundTrip) };
}

/** Blocks this thread until `dueNs` on the hrtime clock: sleeps, then spins the last stretch. */
function waitUntil(dueNs: bigint, sleeper: Int32Array): void {
  for (;;) {
    const leftUs = Number(dueNs - process.hrtime.bigint()) / 1000;
    if (leftUs <= 0) return;
    if (leftUs > SPIN_US) Atomics.wait(sleeper, 0, 0, (leftUs - SPIN_US) / 1000);
  }
}

function summarize(values: number[]): HandoffReference['oneWay'] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length };
}
