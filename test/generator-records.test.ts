/**
 * The load generator with a record source (issue 14), pumped in simulated time: record i of
 * the schedule is Nexmark event i at its scheduled time, written into its partition's record
 * columns at the offset the log gives it, on the partition its key names (persons by id,
 * auctions by seller, bids by auction; every record 0 for a global query); a record the string
 * arena refuses — its bytes would overwrite a record not yet committed — is dropped and counted
 * when it is due, as one without a free slot is; once the consumer commits, the bytes are free again.
 */
import { describe, expect, it } from 'vitest';
import { EventKind, NEXMARK_SCHEMA } from '../engines/records/schemas.js';
import type { RecordQuery } from '../engines/records/record-query.js';
import { RecordColumns } from '../primitives/record-columns.js';
import { SourceLog } from '../primitives/source-log.js';
import { LoadGenerator } from '../runner/load-generator.js';
import { NexmarkColumns } from '../scenarios/nexmark/event-columns.js';
import { NexmarkGenerator } from '../scenarios/nexmark/nexmark-generator.js';

const RATE = 10_000;
const GAP_US = 1e6 / RATE;

/** A generator of `query`'s Nexmark source over `partitions` rings of `slots`, with `arenaBytes` of strings each; records every 100 µs for `records` records. */
function setup(query: RecordQuery, partitions: number, slots: number, arenaBytes: number, records: number) {
  const log = SourceLog.create(partitions, slots);
  const columns = Array.from({ length: partitions }, () => RecordColumns.create(NEXMARK_SCHEMA, slots, arenaBytes));
  const generator = new LoadGenerator(
    log,
    {
      profile: { kind: 'constant', rate: RATE },
      arrivals: 'uniform',
      seed: 5,
      keys: 1,
      valueRange: 1,
      startUs: 0,
      endUs: records * GAP_US,
      measureStartUs: 0,
      bucketUs: 100_000,
      buckets: 10,
      records: { query, seed: 5, columns: columns.map((c) => c.buffers) },
    },
    undefined,
    { aheadUs: 1000, records: 1 << 10 },
  );
  return { log, generator, events: columns.map((c) => new NexmarkColumns(c.buffers)) };
}

describe('the load generator with a Nexmark source', () => {
  it('writes event i at its scheduled time into the columns of the partition its key names', () => {
    const { log, generator, events } = setup('q3', 2, 4096, 4096 * 256, 2000);
    for (let now = 0; !generator.done; now += 500) generator.pump(now);
    const report = generator.finish();
    expect(report.dropped).toBe(0);
    expect(report.ends[0] + report.ends[1]).toBe(2000);
    const nexmark = new NexmarkGenerator({ seed: 5 });
    const seen = new Set<number>();
    for (let p = 0; p < 2; p++) {
      for (let offset = 0; offset < log.end(p); offset++) {
        const slot = offset & (4096 - 1);
        const n = Math.round(events[p].dateTimeAt(slot) / GAP_US);
        seen.add(n);
        const expected = nexmark.eventAt(n, n * GAP_US);
        expect(events[p].eventAt(slot)).toEqual(expected);
        const key = expected.kind === 'person' ? expected.id : expected.kind === 'auction' ? expected.seller : expected.auction;
        expect(key % 2).toBe(p);
        expect(log.key[log.slot(p, offset)]).toBe(key);
        expect(log.eventTime[log.slot(p, offset)]).toBe(n * GAP_US);
      }
    }
    expect(seen.size).toBe(2000);
    expect(events[0].kindAt(0) === EventKind.person || events[1].kindAt(0) === EventKind.person).toBe(true);
  });

  it('keys every record 0 for a global query (q7): all on partition 0', () => {
    const { generator } = setup('q7', 2, 4096, 4096 * 256, 1000);
    for (let now = 0; !generator.done; now += 500) generator.pump(now);
    expect(generator.finish().ends).toEqual([1000, 0]);
  });

  it('drops and counts a due record the arena refuses while the ring still has slots, and writes again once the consumer commits', () => {
    // 1024 slots but 16 KB of strings: ~100 events' bytes, far fewer than the ring's slots.
    const { log, generator } = setup('q7', 1, 1024, 16 * 1024, 600);
    for (let now = 0; now <= 30_000; now += 500) generator.pump(now);
    const end = log.end(0);
    expect(end).toBeGreaterThan(20);
    expect(end).toBeLessThan(300);
    expect(log.capacity - end).toBeGreaterThan(0); // the ring had room: the arena refused them
    const dropped = 301 - end; // records 0..300 are due by 30 ms
    log.commit(0, end);
    for (let now = 30_500; !generator.done; now += 500) {
      generator.pump(now);
      log.commit(0, log.end(0));
    }
    const report = generator.finish();
    expect(report.dropped).toBe(dropped);
    expect(report.ends[0] + report.dropped).toBe(600);
    expect(report.ends[0]).toBeGreaterThan(end + 200);
  });

  it('writes the event of a record held back for want of a slot when a slot is freed by its time', () => {
    // A ring of 8 slots committed every 1 ms: records written ahead find it full, are held back,
    // and at their time are written (their own event, not another's) or dropped and counted.
    const { log, generator, events } = setup('q3', 1, 8, 8 * 1024, 400);
    const nexmark = new NexmarkGenerator({ seed: 5 });
    let read = 0;
    let checked = 0;
    for (let now = 0; !generator.done; now += 250) {
      generator.pump(now);
      for (; read < log.end(0); read++) {
        const slot = read & 7;
        const n = Math.round(log.eventTime[log.slot(0, read)] / GAP_US);
        expect(events[0].eventAt(slot)).toEqual(nexmark.eventAt(n, n * GAP_US));
        checked++;
      }
      if (now % 1000 === 0) log.commit(0, read);
    }
    const report = generator.finish();
    expect(report.dropped).toBeGreaterThan(0);
    expect(checked).toBe(400 - report.dropped);
    expect(checked).toBeGreaterThan(100);
  });
});
