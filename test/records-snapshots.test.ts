/**
 * Every record operator's `snapshotState`/`restoreState`: a pipeline stopped half-way,
 * snapshotted, and restored into a fresh pipeline over a fresh ring (the snapshot holds no
 * slot) emits, together with the first half, exactly what an uninterrupted run emits; and
 * the snapshot is a copy, unchanged by the original pipeline running on.
 */
import { describe, expect, it } from 'vitest';
import { NexmarkGenerator } from '../scenarios/nexmark/nexmark-generator.js';
import { NexmarkColumns } from '../scenarios/nexmark/event-columns.js';
import { SentenceGenerator } from '../scenarios/records/sentence-generator.js';
import { AdEventGenerator } from '../scenarios/records/ad-event-generator.js';
import { createTextColumns, writeText } from '../scenarios/records/text-columns.js';
import { recordCounters, type Recoverable, type RecordCounters, type RowSink, type SlotStage } from '../engines/records/record-stage.js';
import type { RecordColumns } from '../primitives/record-columns.js';
import { PassThrough } from '../engines/records/pass-through.js';
import { CurrencyConversion } from '../engines/records/currency-conversion.js';
import { Selection } from '../engines/records/selection.js';
import { IncrementalJoin } from '../engines/records/incremental-join.js';
import { HotItems } from '../engines/records/hot-items.js';
import { HighestBid } from '../engines/records/highest-bid.js';
import { NewUsers } from '../engines/records/new-users.js';
import { Tokenizer } from '../engines/records/tokenizer.js';
import { KeyedRowCount } from '../engines/records/keyed-count.js';
import { JsonProjection } from '../engines/records/json-projection.js';
import { WindowedCount } from '../engines/records/windowed-count.js';
import { Collector, drive, multiset } from './reference/drive.js';

/** A pipeline: its first stage and every stage with state to snapshot. */
interface Pipeline {
  head: SlotStage;
  stages: Recoverable[];
}

type Build = (columns: RecordColumns, sink: RowSink, counters: RecordCounters) => Pipeline;
type Ring = { columns: RecordColumns; write: (offset: number, committed: number) => boolean };

const N = 20_000;
const HALF = 10_250; // not on a batch boundary of the driver, nor on a window edge
const nexmark = new NexmarkGenerator({ seed: 5 });
const nexmarkEvents = Array.from({ length: N }, (_, n) => nexmark.eventAt(n));
const sentences = Array.from({ length: N }, (_, n) => new SentenceGenerator(5).recordAt(n));
const adGenerator = new AdEventGenerator(5);
const adEvents = Array.from({ length: N }, (_, n) => adGenerator.recordAt(n));

function nexmarkRing(): Ring {
  const columns = NexmarkColumns.create(2048);
  return { columns: columns.columns, write: (offset, committed) => columns.write(offset, nexmarkEvents[offset], committed) };
}

function textRing(records: typeof sentences): () => Ring {
  return () => {
    const columns = createTextColumns(2048);
    return { columns, write: (offset, committed) => writeText(columns, offset, records[offset].dateTimeUs, records[offset].text, committed) };
  };
}

const one = (stage: SlotStage): Pipeline => ({ head: stage, stages: [stage] });

const cases: [string, () => Ring, Build][] = [
  ['q0 pass-through', nexmarkRing, (c, s) => one(new PassThrough(c, s))],
  ['q1 currency conversion', nexmarkRing, (c, s) => one(new CurrencyConversion(c, s))],
  ['q2 selection', nexmarkRing, (c, s) => one(new Selection(c, s))],
  ['q3 incremental join', nexmarkRing, (c, s) => one(new IncrementalJoin(c, s))],
  ['q5 hot items', nexmarkRing, (c, s, k) => one(new HotItems(c, s, { sizeMs: 1000, slideMs: 200 }, k))],
  ['q7 highest bid', nexmarkRing, (c, s, k) => one(new HighestBid(c, s, { sizeMs: 1000 }, k))],
  ['q8 new users', nexmarkRing, (c, s, k) => one(new NewUsers(c, s, { sizeMs: 1000 }, k))],
  ['wordcount', textRing(sentences), (c, s) => {
    const count = new KeyedRowCount(s);
    const tokenizer = new Tokenizer(c, count);
    return { head: tokenizer, stages: [tokenizer, count] };
  }],
  ['json-ingest', textRing(adEvents), (c, s, k) => {
    const count = new WindowedCount(s, { sizeMs: 1000 }, k);
    const parse = new JsonProjection(c, count, { filter: { field: 'event_type', equals: 'view' }, project: ['ad_id'] }, k);
    return { head: parse, stages: [parse, count] };
  }],
];

describe('record operators snapshot and restore their state', () => {
  it.each(cases)('%s: first half + restored second half = an uninterrupted run', (_name, ring, build) => {
    const runRange = (pipeline: Pipeline, r: Ring, from: number, to: number): void => drive(pipeline.head, r.write, r.columns.mask, from, to);

    const whole = new Collector();
    const wholeRing = ring();
    const wholePipeline = build(wholeRing.columns, whole, recordCounters());
    runRange(wholePipeline, wholeRing, 0, N);
    wholePipeline.head.finish();

    const first = new Collector();
    const firstRing = ring();
    const original = build(firstRing.columns, first, recordCounters());
    runRange(original, firstRing, 0, HALF);
    const snapshots = original.stages.map((stage) => stage.snapshotState());
    const frozen = structuredClone(snapshots);
    const upToHalf = first.rows.length;
    runRange(original, firstRing, HALF, N); // the original runs on: the snapshot must not change
    original.head.finish();
    expect(snapshots).toEqual(frozen);

    const second = new Collector();
    const secondRing = ring();
    const restored = build(secondRing.columns, second, recordCounters());
    restored.stages.forEach((stage, i) => stage.restoreState(snapshots[i]));
    runRange(restored, secondRing, HALF, N);
    restored.head.finish();

    expect(second.rows).toEqual(first.rows.slice(upToHalf));
    expect(multiset([...first.rows.slice(0, upToHalf), ...second.rows])).toEqual(multiset(whole.rows));
    expect(whole.rows.length).toBeGreaterThan(0);
  });
});
