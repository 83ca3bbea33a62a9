/**
 * Latency is measured from each record's scheduled time, so a stall shows in every record
 * that waited (no coordinated omission). Driven with a ManualClock: the generator appends on
 * time, the engine's partition task runs only after a stall.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { runPartitionTask, type PartitionTaskInput } from '../engines/partition/partition-task.js';
import { builtinScenarios } from '../scenarios/index.js';
import { ManualClock } from '../primitives/clock.js';
import { decodeHistogram } from '../primitives/histogram.js';
import { LoadGenerator } from '../runner/load-generator.js';
import { SourceLog } from '../primitives/source-log.js';

const steady = builtinScenarios().get('steady')!;

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.port1.close();
});

function taskInput(log: SourceLog, kind: 'batch' | 'continuous', measureStartUs: number): PartitionTaskInput {
  const channel = new MessageChannel();
  channels.push(channel);
  return {
    partition: 0,
    kind,
    buffers: log.buffers,
    originUs: 0,
    pipeline: steady.pipeline,
    keys: steady.keys,
    cpuIterationsPerUs: 100,
    flushTimeoutUs: 0,
    measureStartUs,
    measureEndUs: 10_000_000,
    bucketUs: 100_000,
    buckets: 100,
    port: channel.port2,
  };
}

/** Appends 1000 records/s for 100 ms of clock time, on schedule. */
function generateOnTime(log: SourceLog, clock: ManualClock): void {
  const generator = new LoadGenerator(log, {
    profile: { kind: 'constant', rate: 1000 },
    arrivals: 'uniform',
    seed: 7,
    keys: steady.keys,
    valueRange: steady.valueRange,
    startUs: 0,
    endUs: 100_000,
    measureStartUs: 0,
    bucketUs: 100_000,
    buckets: 10,
  });
  while (!generator.done) {
    clock.advanceTo(generator.nextDueUs);
    generator.pump(clock.now());
  }
  generator.finish().lagHistogram.destroy();
}

describe('event-time latency under an engine stall', () => {
  it('charges the stall to every record that waited, measured from its scheduled time', () => {
    const clock = new ManualClock();
    const log = SourceLog.create(1, 1024);
    generateOnTime(log, clock);
    expect(log.end(0)).toBe(100);

    clock.advanceTo(600_000); // the engine stalls until 600 ms
    log.sendCommand(0, 1, log.end(0));
    log.requestStop(0);
    const output = runPartitionTask(taskInput(log, 'batch', 0), clock);

    const latency = decodeHistogram(output.eventTime);
    // The records were scheduled at 0, 1, …, 99 ms and all emitted at 600 ms.
    expect(latency.totalCount).toBe(output.emitted);
    expect(latency.minNonZeroValue).toBeGreaterThanOrEqual(500_000);
    expect(latency.maxValue).toBeGreaterThanOrEqual(599_000);
    expect(latency.maxValue).toBeLessThanOrEqual(601_000);
    // Processing-time latency starts when the engine first read the record: no stall in it.
    expect(decodeHistogram(output.processingTime).maxValue).toBe(0);
    expect(log.committed(0)).toBe(100);
  });

  it('excludes warm-up records from the latency histogram', () => {
    const clock = new ManualClock();
    const log = SourceLog.create(1, 1024);
    generateOnTime(log, clock);
    log.sendCommand(0, 1, log.end(0));
    log.requestStop(0);
    const output = runPartitionTask(taskInput(log, 'batch', 50_000), clock);
    const measured = decodeHistogram(output.eventTime).totalCount;
    expect(measured).toBeGreaterThan(0);
    expect(measured).toBeLessThan(output.emitted);
  });

  it('continuous mode also measures from the scheduled time', () => {
    const clock = new ManualClock();
    const log = SourceLog.create(1, 1024);
    generateOnTime(log, clock);
    clock.advanceTo(300_000);
    log.requestStop(0);
    const output = runPartitionTask(taskInput(log, 'continuous', 0), clock);
    expect(output.processed).toBe(100);
    const latency = decodeHistogram(output.eventTime);
    expect(latency.minNonZeroValue).toBeGreaterThanOrEqual(200_000);
    expect(latency.maxValue).toBeLessThanOrEqual(301_000);
  });
});
