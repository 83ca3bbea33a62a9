/**
 * The one partition task loop with its seams combined, in one thread with an injected clock:
 * a priority class behind a slow sink (the sink's waits advance a ManualClock), and a
 * priority lane with recovery — a task that fails after its lane delivered output, its
 * replacement, and the replacement's own successor resuming from a snapshot whose lane scan
 * ran ahead of its offset. Every offset is processed exactly once across attempts (the
 * digest equals the plain task's), the replay's duplicates are exactly what the failed
 * attempt had delivered, and the lane's counters add up.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { combineOutputs } from '../engines/partition/combine-outputs.js';
import { runPartitionTask, type PartitionTaskInput, type PartitionTaskOutput } from '../engines/partition/partition-task.js';
import type { PartitionSnapshot, RecoveryInput, TaskMessage } from '../engines/partition/task-messages.js';
import { InjectedTaskFailure, nextRedelivered, RecoveryBoard } from '../engines/partition/task-recovery.js';
import { PRIORITY_CLASS } from '../engines/partition/classified-sink.js';
import { ManualClock } from '../primitives/clock.js';
import { decodeHistogram } from '../primitives/histogram.js';
import { SourceLog } from '../primitives/source-log.js';
import { builtinScenarios } from '../scenarios/index.js';

import { filledPriorityLog } from './fixtures/priority-log.js';

const priority = builtinScenarios().get('priority')!;

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.port1.close();
});

/** A one-partition log holding `records` records of the `priority` scenario (seed 5), all appended and finished. */
function filledLog(records: number): SourceLog {
  return filledPriorityLog(records * 10, 5);
}

interface TaskOptions {
  lane?: boolean;
  sink?: PartitionTaskInput['sink'];
  recovery?: RecoveryInput;
}

/** The task input over `log`, and the messages its port receives. */
function taskInput(log: SourceLog, kind: 'batch' | 'continuous', options: TaskOptions): { input: PartitionTaskInput; messages: () => TaskMessage[] } {
  const channel = new MessageChannel();
  channels.push(channel);
  const input: PartitionTaskInput = {
    ...(kind === 'batch' ? { kind } : { kind, flushTimeoutUs: 0 }),
    partition: 0,
    buffers: log.buffers,
    originUs: 0,
    pipeline: priority.pipeline,
    keys: priority.keys,
    cpuIterationsPerUs: 100,
    measureStartUs: 0,
    measureEndUs: 10_000_000,
    bucketUs: 100_000,
    buckets: 100,
    port: channel.port2,
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

/** Runs one task over the whole log (one batch, or continuous until it has read everything) and stops. */
function runOver(records: number, kind: 'batch' | 'continuous', options: TaskOptions): { output: PartitionTaskOutput; log: SourceLog; clock: ManualClock } {
  const log = filledLog(records);
  if (kind === 'batch') log.sendCommand(0, 1, log.end(0));
  log.requestStop(0);
  const clock = new ManualClock(500_000);
  const output = runPartitionTask(taskInput(log, kind, options).input, clock, { sleepUntil: (atUs) => clock.advanceTo(atUs) });
  return { output, log, clock };
}

/** A slow downstream far below the offered rate: 20k records/s, 50 µs per write, 64 records queued. */
const slowSink = { capacityPerSec: 20_000, writeLatencyUs: 50, queueRecords: 64, drop: 'none' } as const;

describe.each(['batch', 'continuous'] as const)('%s task: a priority class behind a slow sink', (kind) => {
  // Continuous behind a slow sink reads in chunks of 1024 and stops at the first stop check: stay within one chunk.
  const records = 1000;

  it.each([false, true])('lane %s: delivers every output through the sink, with the plain task\'s digest', (lane) => {
    const plain = runOver(records, kind, {});
    const run = runOver(records, kind, { lane, sink: slowSink });
    expect(run.output.processed).toBe(records);
    expect(run.log.committed(0)).toBe(records);
    expect(run.output.digest).toEqual(plain.output.digest);
    // Back-pressure: nothing dropped, everything delivered, and the task waited for the sink.
    expect(run.output.emitted).toBe(run.output.digest.count);
    const sink = run.output.sink!;
    expect(sink.dropped).toBe(0);
    expect(sink.writes).toBeGreaterThan(1);
    expect(sink.blockedUs).toBeGreaterThan(0);
    expect(Math.max(...sink.depthPeaks)).toBeLessThanOrEqual(slowSink.queueRecords);
    // The sink's waits are the clock's time: all but the last queueful were written at the sink's capacity.
    expect(run.clock.now() - 500_000).toBeGreaterThanOrEqual(((run.output.emitted - slowSink.queueRecords) / slowSink.capacityPerSec) * 1e6);
    const classes = run.output.classes!;
    expect(classes.priorityRecords).toBe(runOver(records, kind, { lane: false }).output.classes!.priorityRecords);
    expect(classes.priorityRecords).toBeGreaterThan(10);
    expect(classes.caughtUp).toBe(classes.fastTracked);
    if (lane) expect(classes.fastTracked).toBeGreaterThan(classes.priorityRecords / 2);
    else expect(classes.fastTracked).toBe(0);
    const priorityCount = decodeHistogram(classes.priority.eventTime).totalCount;
    expect(priorityCount + decodeHistogram(classes.normal.eventTime).totalCount).toBe(run.output.emitted);
  });

  it("with the 'newest' policy drops what does not fit, and counts it", () => {
    const run = runOver(records, kind, { lane: true, sink: { ...slowSink, queueRecords: 8, drop: 'newest' } });
    const sink = run.output.sink!;
    expect(sink.dropped).toBeGreaterThan(0);
    expect(run.output.emitted + sink.dropped).toBe(run.output.digest.count);
  });
});

describe('batch task: the priority lane with recovery', () => {
  const records = 2000;
  const half = records / 2;

  /** A recovering attempt over `log` (which holds the batch command it is to run). */
  function attempt(log: SourceLog, board: RecoveryBoard, recovery: Omit<RecoveryInput, 'board'>) {
    const { input, messages } = taskInput(log, 'batch', { lane: true, recovery: { board: board.buffer, ...recovery } });
    const clock = new ManualClock(500_000);
    return { run: () => runPartitionTask(input, clock), messages };
  }

  it('replays exactly once across attempts, and counts the fast-tracked output delivered before the failure as duplicates', () => {
    const reference = runOver(records, 'batch', { lane: false });
    const log = filledLog(records);
    const board = RecoveryBoard.create(1);

    // Attempt 1 runs batch 1 ([0, half)); its first rescan fast-tracks every priority record up to the end of the log and
    // delivers them; then the batch fails before it commits.
    log.sendCommand(0, 1, half);
    const first = attempt(log, board, { failBatchAtUs: 0, replacement: false });
    expect(() => first.run()).toThrow(InjectedTaskFailure);
    expect(first.messages().some((message) => message.type === 'snapshot')).toBe(false);
    const deliveredByFirst = board.emittedPerClass(0);
    expect(deliveredByFirst[PRIORITY_CLASS]).toBeGreaterThan(10);
    expect(deliveredByFirst[0]).toBe(0);
    expect(log.committed(0)).toBe(0);

    // Attempt 2 replays batch 1 from the start (no snapshot) and stops after it: its final commit snapshots at `half`
    // with the lane's scan at the end of the log.
    const redelivered = nextRedelivered(undefined, undefined, deliveredByFirst);
    log.requestStop(0);
    const second = attempt(log, board, { redelivered, replacement: true });
    const secondOutput = second.run();
    const snapshots = second.messages().flatMap((message) => (message.type === 'snapshot' ? [message.snapshot] : []));
    const last = snapshots.at(-1) as PartitionSnapshot;
    expect(last.offset).toBe(half);
    expect(last.laneScannedOffset).toBe(records);
    expect(last.redeliveredPending).toEqual([[], []]);
    // The replay fast-tracked the same priority records again: exactly what attempt 1 had delivered.
    expect(secondOutput.duplicates).toBe(deliveredByFirst[PRIORITY_CLASS]);

    // Attempt 3 resumes from that snapshot and runs batch 2: the priority records above `half` are already in the
    // operators' state, so the in-order pass passes over them.
    const stopped = new SourceLog({ ...log.buffers, control: new SharedArrayBuffer(log.buffers.control.byteLength) });
    stopped.publish(0, records);
    stopped.markFinished(0);
    stopped.sendCommand(0, 2, records);
    stopped.requestStop(0);
    const third = attempt(stopped, board, {
      resume: { offset: last.offset, sequence: last.sequence, finalized: last.finalized, operators: last.operators, laneScannedOffset: last.laneScannedOffset! },
      redelivered: nextRedelivered(last, redelivered, board.emittedPerClass(0)),
      replacement: true,
    });
    const thirdOutput = third.run();
    expect(thirdOutput.duplicates).toBe(0);
    expect(thirdOutput.classes!.fastTracked).toBe(0);
    expect(stopped.committed(0)).toBe(records);

    const combined = combineOutputs(secondOutput, thirdOutput);
    expect(combined.processed).toBe(records);
    expect(combined.digest).toEqual(reference.output.digest);
    expect(combined.emitted).toBe(combined.digest.count);
    const classes = combined.classes!;
    expect(classes.priorityRecords).toBe(reference.output.classes!.priorityRecords);
    expect(classes.fastTracked).toBeGreaterThan(10);
    expect(classes.caughtUp).toBe(classes.fastTracked);
    expect(decodeHistogram(classes.priority.eventTime).totalCount + decodeHistogram(classes.normal.eventTime).totalCount).toBe(combined.emitted);
  });
});

describe('continuous task: the priority lane with recovery', () => {
  it('resumes the lane at its snapshot\'s scan position, ahead of the resume offset, and processes every offset once', () => {
    const records = 2000;
    const reference = runOver(records, 'continuous', { lane: false });
    const log = filledLog(records);
    const board = RecoveryBoard.create(1);
    // An epoch marker is waiting: behind a slow sink the task reads 1024 records, commits at the epoch (its lane rescans
    // have fast-tracked the priority records of the whole log by then), sees the stop request and ends there.
    log.sendCommand(0, 1, 1);
    log.requestStop(0);
    const clock = new ManualClock(500_000);
    const hooks = { sleepUntil: (atUs: number) => clock.advanceTo(atUs) };
    const first = taskInput(log, 'continuous', { lane: true, sink: slowSink, recovery: { board: board.buffer, replacement: false } });
    const firstOutput = runPartitionTask(first.input, clock, hooks);
    const snapshot = first.messages().flatMap((message) => (message.type === 'snapshot' ? [message.snapshot] : []))[0];
    expect(snapshot.offset).toBe(1024);
    expect(snapshot.laneScannedOffset).toBe(records);
    expect(firstOutput.classes!.caughtUp).toBeLessThan(firstOutput.classes!.fastTracked);

    const stopped = new SourceLog({ ...log.buffers, control: new SharedArrayBuffer(log.buffers.control.byteLength) });
    stopped.publish(0, records);
    stopped.markFinished(0);
    stopped.requestStop(0);
    const second = taskInput(stopped, 'continuous', {
      lane: true,
      recovery: {
        board: board.buffer,
        resume: { offset: snapshot.offset, sequence: snapshot.sequence, finalized: snapshot.finalized, operators: snapshot.operators, laneScannedOffset: records },
        redelivered: nextRedelivered(snapshot, undefined, board.emittedPerClass(0)),
        replacement: true,
      },
    });
    const secondOutput = runPartitionTask(second.input, new ManualClock(900_000));
    // Attempt 1 delivered nothing after its snapshot: no duplicates.
    expect(secondOutput.duplicates).toBe(0);
    const combined = combineOutputs(snapshot.measured, secondOutput);
    expect(combined.processed).toBe(records);
    expect(combined.digest).toEqual(reference.output.digest);
    expect(combined.classes!.priorityRecords).toBe(reference.output.classes!.priorityRecords);
    expect(combined.classes!.caughtUp).toBe(combined.classes!.fastTracked);
    expect(stopped.committed(0)).toBe(records);
  });
});
