/**
 * The generator's thread: paces {@link LoadGenerator} against the shared run clock
 * (`generator-pacing.ts`): per record at low rates (sleep with `Atomics.wait`, spin the last
 * `spinUs`: lateness of microseconds at 1k records/s), on a fixed publish cadence above them
 * (sleep between publishes, never spin). Records are written ahead of their time, so a
 * publish costs a few stores. It shares nothing with the engine but the log, so a slow
 * engine never slows it down.
 */
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '../primitives/clock.js';
import { encodeHistogram } from '../primitives/histogram.js';
import { profileGcPauses, type GcSample } from '../primitives/gc-pauses.js';
import { threadCpuSince, threadCpuUs } from '../primitives/thread-cpu.js';
import { paceGenerator, type PacingReport, type PacingSettings } from './generator-pacing.js';
import { LoadGenerator, type GeneratorPlan } from './load-generator.js';
import { SourceLog, type SourceLogBuffers } from '../primitives/source-log.js';
import type { TimelineData } from '../primitives/timeline.js';

/** What the thread is started with. */
export interface GeneratorThreadInput {
  buffers: SourceLogBuffers;
  plan: GeneratorPlan;
  originUs: number;
  pacing: PacingSettings;
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
  pacing: PacingReport;
  /** The generator thread's GC pauses (V8's GCProfiler: the pacer holds the thread's event loop). */
  gc: GcSample;
  /** The thread's timer slack (ns) while it paced, as Linux reports it; absent where it does not. */
  timerSlackNs?: number;
}

/** Timer slack asked for the thread: its sleeps then end within the wake-up latency, not up to 50 µs later (Linux's default slack). */
const TIMER_SLACK_NS = 1000;

/** Lowers this thread's timer slack (Linux: a thread may set its own); returns the slack in force, undefined where unknown. */
function lowerTimerSlack(): number | undefined {
  try {
    const file = `/proc/${readlinkSync('/proc/thread-self').split('/').pop()}/timerslack_ns`;
    try {
      writeFileSync(file, String(TIMER_SLACK_NS));
    } catch {
      // not allowed here: the default slack stays, and the pacer's overshoot estimate absorbs it
    }
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function run(input: GeneratorThreadInput): GeneratorThreadOutput {
  const cpuAtStart = threadCpuUs();
  const gcPauses = profileGcPauses();
  const clock = new SystemClock(input.originUs);
  const log = new SourceLog(input.buffers);
  const stop = new Int32Array(input.stop);
  const generator = new LoadGenerator(log, input.plan);
  const timerSlackNs = lowerTimerSlack();
  const pacing = paceGenerator(
    generator,
    () => clock.now(),
    (us) => Atomics.wait(stop, 0, 0, us / 1000),
    () => Atomics.load(stop, 0) !== 0,
    input.pacing,
  );
  const report = generator.finish();
  const output: GeneratorThreadOutput = {
    offered: report.offered,
    appended: report.appended,
    offeredTotal: report.offeredTotal,
    dropped: report.dropped,
    ends: report.ends,
    lagHistogram: encodeHistogram(report.lagHistogram),
    input: report.input.toData(),
    pacing,
    gc: gcPauses.stop(),
    ...(timerSlackNs !== undefined ? { timerSlackNs } : {}),
  };
  const cpuUs = threadCpuSince(cpuAtStart);
  if (cpuUs !== undefined) output.cpuUs = cpuUs;
  report.lagHistogram.destroy();
  return output;
}

parentPort?.postMessage(run(workerData as GeneratorThreadInput));
