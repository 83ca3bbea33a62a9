/**
 * The priority class and lane, in one thread with an injected clock: which records are
 * priority (a pure function of key and value), and that the lane processes every offset
 * exactly once — the output digest is the same with and without it, in both task kinds.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { runPartitionTask, type PartitionTaskInput } from '../engines/partition/partition-task.js';
import { isPriority, priorityThreshold } from '../engines/priority/priority-class.js';
import { builtinScenarios } from '../scenarios/index.js';
import { ManualClock } from '../primitives/clock.js';
import { decodeHistogram } from '../primitives/histogram.js';
import { Random } from '../primitives/random.js';
import type { SourceLog } from '../primitives/source-log.js';
import { filledPriorityLog } from './fixtures/priority-log.js';

const priority = builtinScenarios().get('priority')!;

describe('priority class', () => {
  it('marks about the declared fraction of records, the same ones every time', () => {
    const random = new Random(11);
    const threshold = priorityThreshold(0.02);
    let marked = 0;
    const records = 200_000;
    const first: boolean[] = [];
    for (let i = 0; i < records; i++) {
      const key = random.below(1000);
      const value = random.below(1_000_000);
      const mark = isPriority(key, value, threshold);
      if (i < 100) first.push(mark);
      if (mark) marked++;
    }
    expect(marked / records).toBeGreaterThan(0.018);
    expect(marked / records).toBeLessThan(0.022);
    const again = new Random(11);
    for (let i = 0; i < 100; i++) expect(isPriority(again.below(1000), again.below(1_000_000), threshold)).toBe(first[i]);
  });

  it('marks nothing at fraction 0 and everything at 1; rejects fractions outside [0, 1]', () => {
    for (const [key, value] of [[0, 0], [5, 77], [999, 999_999]]) {
      expect(isPriority(key, value, priorityThreshold(0))).toBe(false);
      expect(isPriority(key, value, priorityThreshold(1))).toBe(true);
    }
    expect(() => priorityThreshold(1.5)).toThrow(/\[0, 1\]/);
    expect(() => priorityThreshold(Number.NaN)).toThrow(/\[0, 1\]/);
  });
});

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.port1.close();
});

/** A one-partition log holding 2000 records of the `priority` scenario (seed 3), all appended and finished. */
function filledLog(): SourceLog {
  return filledPriorityLog(20_000, 3);
}

function taskInput(log: SourceLog, kind: 'batch' | 'continuous', lane: boolean | undefined): PartitionTaskInput {
  const channel = new MessageChannel();
  channels.push(channel);
  return {
    partition: 0,
    kind,
    buffers: log.buffers,
    originUs: 0,
    pipeline: priority.pipeline,
    keys: priority.keys,
    cpuIterationsPerUs: 100,
    flushTimeoutUs: 0,
    measureStartUs: 0,
    measureEndUs: 10_000_000,
    bucketUs: 100_000,
    buckets: 100,
    port: channel.port2,
    ...(lane === undefined ? {} : { priority: { fraction: 0.02, lane } }),
  };
}

/** Runs one task over the whole filled log (one batch, or continuous until it has read everything) and stops. */
function runOver(kind: 'batch' | 'continuous', lane: boolean | undefined) {
  const log = filledLog();
  if (kind === 'batch') log.sendCommand(0, 1, log.end(0));
  log.requestStop(0);
  const output = runPartitionTask(taskInput(log, kind, lane), new ManualClock(500_000));
  return { output, end: log.end(0), committed: log.committed(0) };
}

describe.each(['batch', 'continuous'] as const)('%s task with a priority class', (kind) => {
  it('processes every offset exactly once with and without the lane: same digest as the plain task', () => {
    const plain = runOver(kind, undefined);
    const off = runOver(kind, false);
    const on = runOver(kind, true);
    expect(plain.end).toBe(2000);
    for (const run of [plain, off, on]) {
      expect(run.output.processed).toBe(run.end);
      expect(run.committed).toBe(run.end);
    }
    expect(off.output.digest).toEqual(plain.output.digest);
    expect(on.output.digest).toEqual(plain.output.digest);
    expect(on.output.emitted).toBe(plain.output.emitted);

    const classesOff = off.output.classes!;
    const classesOn = on.output.classes!;
    expect(classesOff.priorityRecords).toBeGreaterThan(10);
    expect(classesOff.fastTracked).toBe(0);
    expect(classesOn.priorityRecords).toBe(classesOff.priorityRecords);
    // With the lane every priority record here was fast-tracked, and passed over once by the in-order pass.
    expect(classesOn.fastTracked).toBe(classesOn.priorityRecords);
    expect(classesOn.caughtUp).toBe(classesOn.fastTracked);
  });

  it('records latency per class, and both together in the run histogram', () => {
    const { output } = runOver(kind, true);
    const priorityCount = decodeHistogram(output.classes!.priority.eventTime).totalCount;
    const normalCount = decodeHistogram(output.classes!.normal.eventTime).totalCount;
    expect(priorityCount).toBeGreaterThan(0);
    expect(normalCount).toBeGreaterThan(priorityCount);
    expect(decodeHistogram(output.eventTime).totalCount).toBe(priorityCount + normalCount);
    expect(priorityCount + normalCount).toBe(output.emitted);
  });
});
