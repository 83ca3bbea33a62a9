/**
 * The generator's thread: paces {@link LoadGenerator} against the shared run clock. It sleeps
 * with `Atomics.wait` until shortly before the next record is due and spins the last
 * `spinUs`, which keeps its lateness to microseconds at 1k and at 1M records/s (a timer on
 * the main thread wakes a millisecond late). It shares nothing with the engine but the log,
 * so a slow engine never slows it down.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '../primitives/clock.js';
import { encodeHistogram } from '../primitives/histogram.js';
import { threadCpuSince, threadCpuUs } from '../primitives/thread-cpu.js';
import { LoadGenerator, type GeneratorPlan } from './load-generator.js';
import { SourceLog, type SourceLogBuffers } from '../primitives/source-log.js';
import type { TimelineData } from '../primitives/timeline.js';

/** What the thread is started with. */
export interface GeneratorThreadInput {
  buffers: SourceLogBuffers;
  plan: GeneratorPlan;
  originUs: number;
  /** Spin (rather than sleep) when the next record is due within this many µs. */
  spinUs: number;
  /**
   * Sleep until this long past the next record's due time, appending what is due then in one go
   * (broker runs: the publisher batches per wake-up anyway, and a spinning thread would take a
   * core from the broker and the system under test). Default 0: on time.
   */
  batchUs?: number;
  /** Int32 flag the driver sets to stop generation early. */
  stop: SharedArrayBuffer;
}

/** What the thread posts when done. */
export interface GeneratorThreadOutput {
  offered: number;
  appended: number;
  offeredTotal: number;
  dropped: number;
  ends: number[];
  lagHistogram: string;
  input: TimelineData;
  /** CPU time the generator's thread used, µs; absent where the system does not say. */
  cpuUs?: number;
}

function run(input: GeneratorThreadInput): GeneratorThreadOutput {
  const cpuAtStart = threadCpuUs();
  const clock = new SystemClock(input.originUs);
  const log = new SourceLog(input.buffers);
  const stop = new Int32Array(input.stop);
  const generator = new LoadGenerator(log, input.plan);
  while (!generator.done && Atomics.load(stop, 0) === 0) {
    const now = clock.now();
    const waitUs = generator.nextDueUs + (input.batchUs ?? 0) - now - input.spinUs;
    if (waitUs > 0) Atomics.wait(stop, 0, 0, waitUs / 1000);
    else if (generator.nextDueUs + (input.batchUs ?? 0) <= now) generator.pump(now);
  }
  const report = generator.finish();
  const output: GeneratorThreadOutput = {
    offered: report.offered,
    appended: report.appended,
    offeredTotal: report.offeredTotal,
    dropped: report.dropped,
    ends: report.ends,
    lagHistogram: encodeHistogram(report.lagHistogram),
    input: report.input.toData(),
  };
  const cpuUs = threadCpuSince(cpuAtStart);
  if (cpuUs !== undefined) output.cpuUs = cpuUs;
  report.lagHistogram.destroy();
  return output;
}

parentPort?.postMessage(run(workerData as GeneratorThreadInput));
