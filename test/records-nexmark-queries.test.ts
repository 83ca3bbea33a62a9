/**
 * The Nexmark query operators (`engines/records/`), driven over generated events in a small
 * ring of shared columns, produce exactly what the independent reference evaluator
 * (`test/reference/nexmark-reference.ts`) computes from the same events as objects: the same
 * multiset of rows, latency stamps included. Windows are scaled down 10× (q5 1 s every
 * 200 ms; q7 and q8 1 s) over 10 s of events at Nexmark's 10 000 events/s.
 */
import { describe, expect, it } from 'vitest';
import { NexmarkGenerator } from '../scenarios/nexmark/nexmark-generator.js';
import { NexmarkColumns } from '../scenarios/nexmark/event-columns.js';
import type { NexmarkEvent } from '../scenarios/nexmark/model.js';
import { recordCounters, type RowSink, type SlotStage } from '../engines/records/record-stage.js';
import type { RecordColumns } from '../primitives/record-columns.js';
import { PassThrough } from '../engines/records/pass-through.js';
import { CurrencyConversion } from '../engines/records/currency-conversion.js';
import { Selection } from '../engines/records/selection.js';
import { IncrementalJoin } from '../engines/records/incremental-join.js';
import { HotItems } from '../engines/records/hot-items.js';
import { HighestBid } from '../engines/records/highest-bid.js';
import { NewUsers } from '../engines/records/new-users.js';
import * as reference from './reference/nexmark-reference.js';
import { Collector, drive, multiset } from './reference/drive.js';
import type { Row } from './reference/nexmark-reference.js';

const EVENTS = 100_000;
const generator = new NexmarkGenerator({ seed: 42 });
const events: NexmarkEvent[] = Array.from({ length: EVENTS }, (_, n) => generator.eventAt(n));

/** Runs one operator over all events through a 4096-slot ring; its rows and counters. */
function run(build: (columns: RecordColumns, sink: RowSink, counters: ReturnType<typeof recordCounters>) => SlotStage): { rows: Row[]; lateDropped: number; finished: number } {
  const columns = NexmarkColumns.create(4096);
  const sink = new Collector();
  const counters = recordCounters();
  const stage = build(columns.columns, sink, counters);
  drive(stage, (offset, committed) => columns.write(offset, events[offset], committed), columns.columns.mask, 0, EVENTS);
  stage.finish();
  return { rows: sink.rows, lateDropped: counters.lateDropped, finished: sink.finished };
}

/** The operator's rows equal the reference's as multisets, and there are some. */
function expectSame(actual: { rows: Row[]; lateDropped: number; finished: number }, expected: Row[], atLeast: number): void {
  expect(expected.length).toBeGreaterThanOrEqual(atLeast);
  expect(actual.rows.length).toBe(expected.length);
  expect(multiset(actual.rows)).toEqual(multiset(expected));
  expect(actual.lateDropped).toBe(0);
  expect(actual.finished).toBe(1);
}

describe('Nexmark queries over shared columns equal the reference evaluator', () => {
  it('q0 pass-through: every bid with all its fields', () => {
    expectSame(run((c, s) => new PassThrough(c, s)), reference.q0(events), 90_000);
  });

  it('q0 without extra decodes nothing and emits the numeric fields', () => {
    const { rows } = run((c, s) => new PassThrough(c, s, { extra: false }));
    expect(multiset(rows)).toEqual(multiset(reference.q0(events).map((row) => row.slice(0, 5))));
  });

  it('q1 currency conversion: prices × 0.908, exact in thousandths', () => {
    expectSame(run((c, s) => new CurrencyConversion(c, s)), reference.q1(events), 90_000);
  });

  it('q2 selection: bids on auctions ≡ 0 mod 123', () => {
    expectSame(run((c, s) => new Selection(c, s)), reference.q2(events), 300);
  });

  it('q3 local item suggestion: the incremental join of persons and auctions, whichever arrives first', () => {
    const expected = reference.q3(events);
    expectSame(run((c, s) => new IncrementalJoin(c, s)), expected, 400);
    // Some matches have the auction first (its seller named ahead of registering).
    const persons = new Map(events.filter((e) => e.kind === 'person').map((p) => [p.id, p.dateTimeUs]));
    const auctionFirst = events.filter((e) => e.kind === 'auction' && e.category === 10 && (persons.get(e.seller) ?? -1) > e.dateTimeUs);
    expect(auctionFirst.length).toBeGreaterThan(0);
  });

  it('q5 hot items: the most-bid auctions per sliding window (1 s every 200 ms)', () => {
    const expected = reference.q5(events, 1000, 200);
    expectSame(run((c, s, k) => new HotItems(c, s, { sizeMs: 1000, slideMs: 200 }, k)), expected, 50);
    expect(new Set(expected.map((row) => row[3])).size).toBe(50 + 4); // 10 s of windows, plus 4 that start before the first bid
  });

  it('q7 highest bid: the top-priced bids per tumbling window (1 s)', () => {
    expectSame(run((c, s, k) => new HighestBid(c, s, { sizeMs: 1000 }, k)), reference.q7(events, 1000), 10);
  });

  it('q8 new users: persons who opened an auction in the window they registered in (1 s)', () => {
    expectSame(run((c, s, k) => new NewUsers(c, s, { sizeMs: 1000 }, k)), reference.q8(events, 1000), 200);
  });
});

describe('windowed Nexmark operators under out-of-order input', () => {
  /** Events with every 7th delayed by 300 ms (event time unchanged, arriving later). */
  function shuffled(): NexmarkEvent[] {
    const order = events.slice(0, 30_000).map((event, n) => ({ event, arrival: event.dateTimeUs + (n % 7 === 0 ? 300_000 : 0) }));
    return order.sort((a, b) => a.arrival - b.arrival).map((o) => o.event);
  }

  it('count records behind the watermark as late, and take them all with enough out-of-orderness', () => {
    const input = shuffled();
    const runOver = (spec: { maxOutOfOrdernessMs?: number }): { rows: Row[]; late: number } => {
      const columns = NexmarkColumns.create(4096);
      const sink = new Collector();
      const counters = recordCounters();
      const stage = new HighestBid(columns.columns, sink, { sizeMs: 1000, ...spec }, counters);
      drive(stage, (offset, committed) => columns.write(offset, input[offset], committed), columns.columns.mask, 0, input.length);
      stage.finish();
      return { rows: sink.rows, late: counters.lateDropped };
    };
    const strict = runOver({});
    expect(strict.late).toBeGreaterThan(0);
    const tolerant = runOver({ maxOutOfOrdernessMs: 300 });
    expect(tolerant.late).toBe(0);
    expect(multiset(tolerant.rows)).toEqual(multiset(reference.q7(input, 1000)));
  });

  it('q5 with out-of-order bids and a tolerant watermark still equals the reference', () => {
    const input = shuffled();
    const columns = NexmarkColumns.create(4096);
    const sink = new Collector();
    const counters = recordCounters();
    const stage = new HotItems(columns.columns, sink, { sizeMs: 1000, slideMs: 200, maxOutOfOrdernessMs: 300 }, counters);
    drive(stage, (offset, committed) => columns.write(offset, input[offset], committed), columns.columns.mask, 0, input.length);
    stage.finish();
    expect(counters.lateDropped).toBe(0);
    expect(multiset(sink.rows)).toEqual(multiset(reference.q5(input, 1000, 200)));
  });

  it('rejects a slide that does not divide the size', () => {
    expect(() => new HotItems(NexmarkColumns.create(4).columns, new Collector(), { sizeMs: 1000, slideMs: 300 }, recordCounters())).toThrow(/slide \(300 ms\) must divide the size/);
  });
});
