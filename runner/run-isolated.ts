/**
 * Runs a trial in a fresh child process (the default), so no trial inherits another's JIT
 * state, heap or threads. A child that outlives the trial's time-out is killed and the run
 * is reported with status 'timeout'; one that dies is reported 'failed'.
 */
import { fork } from 'node:child_process';
import type { RunResult } from '../primitives/results-schema.js';
import { compiledFile } from '../primitives/compiled-file.js';
import { removeSpillDirsOf } from './memory-figures.js';
import { runTrial, TrialTimeout, type TrialProgress } from './run-trial.js';
import type { TrialMessage } from './trial-process.js';
import type { TrialSpec } from './trial-spec.js';

/** Runs `spec` in a child process (or in this one with `inProcess`), never throwing for a failed trial. */
export async function runIsolated(spec: TrialSpec, inProcess: boolean, onProgress?: (progress: TrialProgress) => void): Promise<RunResult> {
  try {
    return inProcess ? await runTrial(spec, onProgress) : await runInChild(spec, onProgress);
  } catch (error) {
    return failedRun(spec, error instanceof TrialTimeout ? 'timeout' : 'failed', error instanceof Error ? error.message : String(error));
  }
}

function runInChild(spec: TrialSpec, onProgress?: (progress: TrialProgress) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // 'advanced' (structured clone), not JSON: a spec's Infinity (an unlimited sink capacity) must not arrive as null.
    const child = fork(compiledFile(import.meta.url, './trial-process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      action();
    };
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new TrialTimeout(`trial did not finish within ${spec.timeoutSec} s; its process was killed`)));
    }, (spec.timeoutSec + 10) * 1000);
    child.on('message', (message: TrialMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') settle(() => resolve(message.result));
      else settle(() => reject(new Error(message.message)));
    });
    child.on('exit', (code, signal) => {
      // A trial process that was killed could not remove its spill folder.
      if (child.pid !== undefined) removeSpillDirsOf(spec, child.pid);
      settle(() => reject(new Error(`trial process exited (${signal ?? `code ${code}`}) without a result`)));
    });
    child.send(spec);
  });
}

/** A result that records why a trial produced no measurement. */
export function failedRun(spec: TrialSpec, status: 'timeout' | 'failed', error: string): RunResult {
  const empty = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p99_9: 0, max: 0, histogram: '' };
  const timeline = { bucketUs: 0, startUs: 0, count: [], latencySum: [], latencyMax: [] };
  return {
    scenario: spec.scenario,
    mode: spec.mode,
    params: spec.params,
    trial: spec.trial,
    seed: spec.seed,
    status,
    error,
    offeredRate: spec.rate,
    warmupSec: spec.warmupSec,
    durationSec: spec.durationSec,
    recordsOffered: 0,
    recordsIn: 0,
    recordsOut: 0,
    throughputIn: 0,
    throughputOut: 0,
    sourceDropped: 0,
    lateDropped: 0,
    unprocessed: 0,
    drained: false,
    latency: { eventTime: empty, processingTime: empty },
    generatorLag: empty,
    timeline: { input: timeline, output: timeline, backlog: [] },
    resources: { cpuUserMs: 0, cpuSystemMs: 0, cpuUsPerRecord: 0, peakRssMb: 0, peakHeapMb: 0 },
    outputDigest: '',
  };
}
