import { describe, expect, it } from 'vitest';
import { MAX_OFFSET, SourceLog } from '../primitives/source-log.js';

describe('SourceLog layout', () => {
  it('rounds capacity up to a power of two (at least 2) and sizes the columns', () => {
    expect(SourceLog.create(1, 1).capacity).toBe(2);
    expect(SourceLog.create(1, 2).capacity).toBe(2);
    expect(SourceLog.create(1, 5).capacity).toBe(8);
    expect(SourceLog.create(1, 1024).capacity).toBe(1024);
    expect(SourceLog.create(1, 1025).capacity).toBe(2048);
    const log = SourceLog.create(3, 100);
    expect(log.partitions).toBe(3);
    expect(log.capacity).toBe(128);
    expect(log.eventTime).toHaveLength(3 * 128);
    expect(log.key).toHaveLength(3 * 128);
    expect(log.value).toHaveLength(3 * 128);
    expect(log.buffers.capacity).toBe(128);
    expect(log.buffers.eventTime).toBeInstanceOf(SharedArrayBuffer);
  });

  it('starts empty: end, committed, backlog, drops, output, commands and flags all zero', () => {
    const log = SourceLog.create(2, 8);
    for (let p = 0; p < 2; p++) {
      expect(log.end(p)).toBe(0);
      expect(log.committed(p)).toBe(0);
      expect(log.backlog(p)).toBe(0);
      expect(log.dropped(p)).toBe(0);
      expect(log.outputCount(p)).toBe(0);
      expect(log.command(p)).toEqual({ sequence: 0, argument: 0 });
      expect(log.stopRequested(p)).toBe(false);
      expect(log.finished(p)).toBe(false);
    }
  });

  it('maps offsets to slots per partition, wrapping around the ring', () => {
    const log = SourceLog.create(3, 4);
    expect(log.slot(0, 0)).toBe(0);
    expect(log.slot(0, 3)).toBe(3);
    expect(log.slot(0, 4)).toBe(0);
    expect(log.slot(0, 9)).toBe(1);
    expect(log.slot(1, 0)).toBe(4);
    expect(log.slot(1, 5)).toBe(5);
    expect(log.slot(2, 7)).toBe(11);
    // large offsets near the top of the Int32 range still wrap into the partition's ring
    expect(log.slot(2, MAX_OFFSET)).toBe(8 + 3);
    // every offset of a partition lands in that partition's slots only
    for (let p = 0; p < 3; p++)
      for (let o = 0; o < 50; o++) {
        const s = log.slot(p, o);
        expect(s).toBeGreaterThanOrEqual(p * 4);
        expect(s).toBeLessThan((p + 1) * 4);
        expect(s).toBe(log.slot(p, o + 4));
      }
  });

  it('writes wrap around without touching other partitions', () => {
    const log = SourceLog.create(2, 4);
    for (let o = 0; o < 4; o++) {
      log.eventTime[log.slot(1, o)] = -1;
      log.key[log.slot(1, o)] = -1;
    }
    let end = 0;
    for (let o = 0; o < 10; o++) {
      const s = log.slot(0, o);
      log.eventTime[s] = o * 10.5;
      log.key[s] = o;
      log.value[s] = o * 2;
      end = o + 1;
      log.publish(0, end);
      log.commit(0, Math.max(0, end - 3)); // consumer keeps up to within 3
    }
    expect(log.end(0)).toBe(10);
    // the last 4 offsets are in the ring
    for (let o = 6; o < 10; o++) {
      const s = log.slot(0, o);
      expect(log.eventTime[s]).toBe(o * 10.5);
      expect(log.key[s]).toBe(o);
      expect(log.value[s]).toBe(o * 2);
    }
    for (let o = 0; o < 4; o++) {
      expect(log.eventTime[log.slot(1, o)]).toBe(-1);
      expect(log.key[log.slot(1, o)]).toBe(-1);
    }
  });
});

describe('SourceLog offsets', () => {
  it('publish, commit and backlog per partition', () => {
    const log = SourceLog.create(2, 16);
    log.publish(0, 10);
    log.publish(1, 3);
    expect(log.end(0)).toBe(10);
    expect(log.end(1)).toBe(3);
    expect(log.backlog(0)).toBe(10);
    log.commit(0, 4);
    expect(log.committed(0)).toBe(4);
    expect(log.committed(1)).toBe(0);
    expect(log.backlog(0)).toBe(6);
    expect(log.backlog(1)).toBe(3);
    log.commit(0, 10);
    expect(log.backlog(0)).toBe(0);
    expect(log.total(log.end)).toBe(13);
    expect(log.total(log.backlog)).toBe(3);
    expect(log.total((p) => p + 1)).toBe(3);
  });

  it('hasRoom is true until capacity records are uncommitted', () => {
    const log = SourceLog.create(1, 4);
    expect(log.hasRoom(0, 0)).toBe(true);
    expect(log.hasRoom(0, 3)).toBe(true);
    expect(log.hasRoom(0, 4)).toBe(false); // offsets 0..3 uncommitted: full
    expect(log.hasRoom(0, 7)).toBe(false);
    log.commit(0, 1);
    expect(log.hasRoom(0, 4)).toBe(true);
    expect(log.hasRoom(0, 5)).toBe(false);
    log.commit(0, 5);
    expect(log.hasRoom(0, 8)).toBe(true);
    expect(log.hasRoom(0, 9)).toBe(false);
  });

  it('counts drops and output per partition', () => {
    const log = SourceLog.create(2, 4);
    log.addDropped(1, 3);
    log.addDropped(1, 2);
    log.addDropped(0, 1);
    expect(log.dropped(0)).toBe(1);
    expect(log.dropped(1)).toBe(5);
    expect(log.total(log.dropped)).toBe(6);
    log.setOutputCount(0, 42);
    log.setOutputCount(0, 43);
    expect(log.outputCount(0)).toBe(43);
    expect(log.outputCount(1)).toBe(0);
  });
});

describe('SourceLog control', () => {
  it('sendCommand sets sequence and argument; command reads the latest', () => {
    const log = SourceLog.create(2, 4);
    log.sendCommand(1, 1, 100);
    expect(log.command(1)).toEqual({ sequence: 1, argument: 100 });
    expect(log.command(0)).toEqual({ sequence: 0, argument: 0 });
    log.sendCommand(1, 2, 250);
    expect(log.command(1)).toEqual({ sequence: 2, argument: 250 });
    // other control words are untouched by commands
    expect(log.end(1)).toBe(0);
    expect(log.stopRequested(1)).toBe(false);
  });

  it('stop and finished flags are per partition', () => {
    const log = SourceLog.create(3, 4);
    log.requestStop(1);
    log.markFinished(2);
    expect([0, 1, 2].map((p) => log.stopRequested(p))).toEqual([false, true, false]);
    expect([0, 1, 2].map((p) => log.finished(p))).toEqual([false, false, true]);
    // flags do not disturb offsets
    expect([0, 1, 2].map((p) => log.end(p))).toEqual([0, 0, 0]);
    expect([0, 1, 2].map((p) => log.command(p).sequence)).toEqual([0, 0, 0]);
  });

  it('control words of neighbouring partitions are independent', () => {
    const log = SourceLog.create(2, 4);
    log.publish(0, 7);
    log.commit(0, 5);
    log.sendCommand(0, 9, 7);
    log.requestStop(0);
    log.addDropped(0, 4);
    log.setOutputCount(0, 11);
    log.markFinished(0);
    expect(log.end(1)).toBe(0);
    expect(log.committed(1)).toBe(0);
    expect(log.command(1)).toEqual({ sequence: 0, argument: 0 });
    expect(log.stopRequested(1)).toBe(false);
    expect(log.dropped(1)).toBe(0);
    expect(log.outputCount(1)).toBe(0);
    expect(log.finished(1)).toBe(false);
    expect(log.end(0)).toBe(7);
    expect(log.committed(0)).toBe(5);
    expect(log.command(0)).toEqual({ sequence: 9, argument: 7 });
    expect(log.dropped(0)).toBe(4);
    expect(log.outputCount(0)).toBe(11);
  });

  it('waitForAppend and waitForCommand return at once when the value already moved', () => {
    const log = SourceLog.create(1, 4);
    log.publish(0, 3);
    log.sendCommand(0, 5, 1);
    // Each wait below would block its thread for the full 10 s if it waited: timed, the three
    // together take microseconds (the 5 s bound only leaves room for a stalled machine).
    const startedMs = performance.now();
    expect(log.waitForAppend(0, 0, 10_000)).toBe(3); // end 3 ≠ seen 0: no wait
    expect(log.waitForAppend(0, 3, 0)).toBe(3); // timeout 0
    log.waitForCommand(0, 4, 10_000); // sequence 5 ≠ seen 4: no wait
    expect(performance.now() - startedMs).toBeLessThan(5_000);
    expect(log.command(0).sequence).toBe(5);
  });

  it('waitForAnyAppend resolves at once if an end already moved, and on a publish otherwise', async () => {
    const log = SourceLog.create(3, 4);
    log.publish(1, 2);
    await log.waitForAnyAppend([0, 0, 0], 60_000); // already moved

    let resolved = false;
    const waiting = log.waitForAnyAppend([0, 2, 0], 60_000).then(() => {
      resolved = true;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    log.publish(2, 1);
    await waiting;
    expect(resolved).toBe(true);
  });

  it('waitForAnyAppend times out when nothing is published: it waits its timeout, then resolves', async () => {
    const log = SourceLog.create(2, 4);
    const startedMs = performance.now();
    // A watchdog, not a sleep: the race ends as soon as the wait resolves (after ~30 ms).
    const outcome = await Promise.race([
      log.waitForAnyAppend([0, 0], 30).then(() => 'timed out'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000).unref()),
    ]);
    expect(outcome).toBe('timed out');
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(25); // it did wait (nothing had moved)
    expect([log.end(0), log.end(1)]).toEqual([0, 0]);
  });
});

describe('SourceLog views over shared buffers', () => {
  it("two views over the same buffers see each other's writes", () => {
    const a = SourceLog.create(2, 8);
    const b = new SourceLog(a.buffers);
    expect(b.partitions).toBe(2);
    expect(b.capacity).toBe(8);

    // columns
    const s = a.slot(1, 9);
    a.eventTime[s] = 123.25;
    a.key[s] = 7;
    a.value[s] = 99;
    expect(b.slot(1, 9)).toBe(s);
    expect(b.eventTime[s]).toBe(123.25);
    expect(b.key[s]).toBe(7);
    expect(b.value[s]).toBe(99);

    // control, both directions
    a.publish(1, 10);
    expect(b.end(1)).toBe(10);
    b.commit(1, 6);
    expect(a.committed(1)).toBe(6);
    expect(a.backlog(1)).toBe(4);
    a.sendCommand(0, 3, 44);
    expect(b.command(0)).toEqual({ sequence: 3, argument: 44 });
    a.requestStop(0);
    expect(b.stopRequested(0)).toBe(true);
    b.markFinished(1);
    expect(a.finished(1)).toBe(true);
    b.addDropped(0, 2);
    a.addDropped(0, 3);
    expect(a.dropped(0)).toBe(5);
    expect(b.dropped(0)).toBe(5);
    b.setOutputCount(1, 17);
    expect(a.outputCount(1)).toBe(17);
    // room is judged from the shared committed offset
    expect(a.hasRoom(1, 13)).toBe(true);
    expect(b.hasRoom(1, 14)).toBe(false);
  });

  it('a view built from structured-cloned buffers still shares memory', () => {
    const a = SourceLog.create(1, 4);
    const b = new SourceLog(structuredClone(a.buffers));
    a.publish(0, 3);
    a.value[a.slot(0, 2)] = 5;
    expect(b.end(0)).toBe(3);
    expect(b.value[b.slot(0, 2)]).toBe(5);
  });

  it('a separately created log does not share memory', () => {
    const a = SourceLog.create(1, 4);
    const b = SourceLog.create(1, 4);
    a.publish(0, 3);
    expect(b.end(0)).toBe(0);
  });
});
