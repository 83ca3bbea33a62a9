/**
 * A trial's CPU by role (DESIGN.md §5 "Resources"; issue 17): the load generator's thread,
 * the driver (the trial's main thread: trigger and batch planning, a plugin engine that runs
 * there, and the harness's 100 ms sampler), each partition task's worker thread, and the rest
 * of the process (GC and compiler threads, libuv). CPU per record is the engine's: the
 * workers' and the driver's, never the generator's pacing.
 */
import type { RunResult } from '../primitives/results-schema.js';

/** The CPU figures a trial measured, µs (thread readings are undefined where the system does not give them). */
export interface CpuReadings {
  /** `process.cpuUsage()` over the trial: every thread of the process. */
  process: NodeJS.CpuUsage;
  driverUs: number | undefined;
  generatorUs: number | undefined;
  workersUs: readonly (number | undefined)[];
  /** Records the source offered over the whole trial (warm-up included): the denominator of CPU per record. */
  records: number;
}

/** The `resources` CPU fields of a result (memory peaks are added by the trial). */
export function cpuResources(readings: CpuReadings): Pick<RunResult['resources'], 'cpuUserMs' | 'cpuSystemMs' | 'cpuUsPerRecord' | 'processCpuUsPerRecord' | 'cpuByRole' | 'harnessCpuShare'> {
  const totalUs = readings.process.user + readings.process.system;
  const perRecord = (us: number): number => (readings.records > 0 ? us / readings.records : 0);
  const base = { cpuUserMs: readings.process.user / 1000, cpuSystemMs: readings.process.system / 1000, processCpuUsPerRecord: perRecord(totalUs) };
  const { driverUs, generatorUs, workersUs } = readings;
  if (driverUs === undefined || generatorUs === undefined || workersUs.some((us) => us === undefined)) return { ...base, cpuUsPerRecord: perRecord(totalUs) };
  const workers = workersUs as number[];
  const workersTotal = workers.reduce((sum, us) => sum + us, 0);
  return {
    ...base,
    cpuUsPerRecord: perRecord(driverUs + workersTotal),
    cpuByRole: {
      generatorMs: generatorUs / 1000,
      driverMs: driverUs / 1000,
      workersMs: workers.map((us) => us / 1000),
      otherMs: Math.max(0, totalUs - generatorUs - driverUs - workersTotal) / 1000,
    },
    harnessCpuShare: totalUs > 0 ? generatorUs / totalUs : 0,
  };
}
