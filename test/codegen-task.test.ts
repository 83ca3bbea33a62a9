/**
 * The partition task with generated code, in one thread with a ManualClock: with a priority
 * class — the lane off and on, an instant and a slow sink, both task kinds — a task measures
 * exactly what the interpreted task measures (every figure of its output); and fault recovery
 * snapshots generated operators' state at a commit point, a replacement resumes from it
 * (taken by either form) and the attempts add up to the uninterrupted output.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { combineOutputs } from '../engines/partition/combine-outputs.js';
import { runPartitionTask, type PartitionTaskInput, type PartitionTaskOutput } from '../engines/partition/partition-task.js';
import type { PartitionSnapshot, RecoveryInput, TaskMessage } from '../engines/partition/task-messages.js';
import { InjectedTaskFailure, RecoveryBoard } from '../engines/partition/task-recovery.js';
import { ManualClock } from '../primitives/clock.js';
import { SourceLog } from '../primitives/source-log.js';
import { builtinScenarios } from '../scenarios/index.js';
import { filledPriorityLog } from './fixtures/priority-log.js';

const priority = builtinScenarios().get('priority')!;
const fault = builtinScenarios().get('fault')!;

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.port1.close();
});

interface TaskOptions {
  codegen: boolean;
  pipeline?: PartitionTaskInput['pipeline'];
  lane?: boolean;
  sink?: PartitionTaskInput['sink'];
  recovery?: RecoveryInput;
}

/** A task over `log` and the messages it posts. */
function taskInput(log: SourceLog, kind: 'batch' | 'continuous', options: TaskOptions): { input: PartitionTaskInput; messages: () => TaskMessage[] } {
  const channel = new MessageChannel();
  channels.push(channel);
  const input: PartitionTaskInput = {
    ...(kind === 'batch' ? { kind } : { kind, flushTimeoutUs: 0 }),
    partition: 0,
    buffers: log.buffers,
    originUs: 0,
    pipeline: options.pipeline ?? priority.pipeline,
    keys: priority.keys,
    cpuIterationsPerUs: 100,
    measureStartUs: 0,
    measureEndUs: 10_000_000,
    bucketUs: 100_000,
    buckets: 100,
    port: channel.port2,
    codegen: options.codegen,
    ...(options.lane === undefined ? {} : { priority: { fraction: 0.05, lane: options.lane } }),
    ...(options.sink ? { sink: options.sink } : {}),
    ...(options.recovery ? { recovery: options.recovery } : {}),
  };
  const messages = (): TaskMessage[] => {
    const received: TaskMessage[] = [];
    for (let message = receiveMessageOnPort(channel.port1); message; message = receiveMessageOnPort(channel.port1)) received.push(message.message as TaskMessage);
    return received;
  };
  return { input, messages };
}

/** One task over a 1000-record log of the priority scenario (one batch, or continuous until all is read). */
function runOver(kind: 'batch' | 'continuous', options: TaskOptions): PartitionTaskOutput {
  const log = filledPriorityLog(10_000, 5);
  if (kind === 'batch') log.sendCommand(0, 1, log.end(0));
  log.requestStop(0);
  const clock = new ManualClock(500_000);
  return runPartitionTask(taskInput(log, kind, options).input, clock, { sleepUntil: (atUs) => clock.advanceTo(atUs) });
}

/** A task's output without its thread's CPU time (a measurement of the machine, not of the task's result). */
/** What the task measured of its records: everything but its thread's own figures (CPU time, GC pauses, event-loop utilisation). */
function measuredFigures(output: PartitionTaskOutput): Omit<PartitionTaskOutput, 'cpuUs' | 'gc' | 'elu'> {
  const { cpuUs: _cpuUs, gc: _gc, elu: _elu, ...figures } = output;
  return figures;
}

const slowSink = { capacityPerSec: 20_000, writeLatencyUs: 50, queueRecords: 64, drop: 'none' } as const;

describe.each(['batch', 'continuous'] as const)('%s task with a priority class', (kind) => {
  it.each([
    ['lane off, instant sink', { lane: false }],
    ['lane on, instant sink', { lane: true }],
    ['lane on, slow sink', { lane: true, sink: slowSink }],
    ['lane off, slow sink', { lane: false, sink: slowSink }],
  ] as const)('%s: codegen on measures exactly what codegen off measures', (_name, options) => {
    const generated = runOver(kind, { ...options, codegen: true });
    const interpreted = runOver(kind, { ...options, codegen: false });
    expect(measuredFigures(generated)).toEqual(measuredFigures(interpreted));
    expect(generated.processed).toBe(1000);
    expect(generated.classes!.priorityRecords).toBeGreaterThan(20);
    if (options.lane) expect(generated.classes!.fastTracked).toBeGreaterThan(0);
    expect(generated.classes!.caughtUp).toBe(generated.classes!.fastTracked);
  });
});

describe('batch task recovery with generated code', () => {
  const records = 1000;

  /** A log of the records with fresh offsets, all appended, holding `command` and a stop request. */
  function fresh(log: SourceLog, sequence: number, to: number): SourceLog {
    const view = new SourceLog({ ...log.buffers, control: new SharedArrayBuffer(log.buffers.control.byteLength) });
    view.publish(0, records);
    view.markFinished(0);
    view.sendCommand(0, sequence, to);
    view.requestStop(0);
    return view;
  }

  /**
   * Attempt 1 runs batch 1 = [0, 400) and stops: its commit snapshots at 400. Attempt 2 resumes there and fails on
   * batch 2 before it commits (no snapshot, nothing committed). Returns attempt 1's snapshot.
   */
  function failingAttempts(codegen: boolean): { snapshot: PartitionSnapshot; board: RecoveryBoard; log: SourceLog } {
    const log = filledPriorityLog(10_000, 5);
    const board = RecoveryBoard.create(1);
    const first = taskInput(fresh(log, 1, 400), 'batch', { codegen, pipeline: fault.pipeline, recovery: { board: board.buffer, replacement: false } });
    runPartitionTask(first.input, new ManualClock(500_000));
    const snapshots = first.messages().flatMap((message) => (message.type === 'snapshot' ? [message.snapshot] : []));
    // The batch's commit, and the task's last commit as it stops.
    expect(new Set(snapshots.map((snapshot) => snapshot.offset))).toEqual(new Set([400]));
    const snapshot = snapshots.at(-1) as PartitionSnapshot;
    const second = taskInput(fresh(log, 2, records), 'batch', {
      codegen,
      pipeline: fault.pipeline,
      recovery: { board: board.buffer, resume: { offset: 400, sequence: 1, finalized: false, operators: snapshot.operators }, failBatchAtUs: 0, replacement: true },
    });
    expect(() => runPartitionTask(second.input, new ManualClock(600_000))).toThrow(InjectedTaskFailure);
    expect(second.messages().some((message) => message.type === 'snapshot')).toBe(false);
    return { snapshot, board, log };
  }

  /** A replacement resuming from `snapshot`, running batch 2 to the end. */
  function replacement(log: SourceLog, board: RecoveryBoard, snapshot: PartitionSnapshot, codegen: boolean): PartitionTaskOutput {
    const stopped = fresh(log, 2, records);
    const { input } = taskInput(stopped, 'batch', {
      codegen,
      pipeline: fault.pipeline,
      recovery: { board: board.buffer, resume: { offset: snapshot.offset, sequence: snapshot.sequence, finalized: snapshot.finalized, operators: snapshot.operators }, replacement: true },
    });
    const output = runPartitionTask(input, new ManualClock(700_000));
    expect(stopped.committed(0)).toBe(records);
    return output;
  }

  it.each([
    ['generated', true, true],
    ['interpreted, then generated', false, true],
    ['generated, then interpreted', true, false],
  ] as const)('%s: after a failed batch the replacement resumes from the snapshot; the attempts add up to the uninterrupted output', (_name, first, second) => {
    const reference = (() => {
      const log = filledPriorityLog(10_000, 5);
      log.sendCommand(0, 1, records);
      log.requestStop(0);
      return runPartitionTask(taskInput(log, 'batch', { codegen: false, pipeline: fault.pipeline }).input, new ManualClock(500_000));
    })();
    const { snapshot, board, log } = failingAttempts(first);
    expect(snapshot.operators[1]).toBeInstanceOf(Int32Array);
    const output = replacement(log, board, snapshot, second);
    expect(output.duplicates).toBe(0);
    const combined = combineOutputs(snapshot.measured, output);
    expect(combined.processed).toBe(records);
    expect(combined.digest).toEqual(reference.digest);
    expect(combined.emitted).toBe(records);
  });
});
