/**
 * wordcount (tokenizer → keyed count) and json-ingest (JSON parse/filter/project →
 * windowed count) over text records in shared columns equal the independent reference
 * (`test/reference/text-reference.ts`); plus the generators' shapes and the operators' edges.
 */
import { describe, expect, it } from 'vitest';
import { SentenceGenerator, SENTENCE_VOCABULARY } from '../scenarios/records/sentence-generator.js';
import { AdEventGenerator, AD_EVENT_TYPES } from '../scenarios/records/ad-event-generator.js';
import { createTextColumns, writeText } from '../scenarios/records/text-columns.js';
import { hashRow, recordCounters } from '../engines/records/record-stage.js';
import { Tokenizer } from '../engines/records/tokenizer.js';
import { KeyedRowCount } from '../engines/records/keyed-count.js';
import { JsonProjection } from '../engines/records/json-projection.js';
import { WindowedCount } from '../engines/records/windowed-count.js';
import type { SlotStage } from '../engines/records/record-stage.js';
import type { RecordColumns } from '../primitives/record-columns.js';
import { jsonIngest, wordcount, type TextRecord } from './reference/text-reference.js';
import { Collector, drive, multiset } from './reference/drive.js';

const N = 30_000;
const sentences: TextRecord[] = Array.from({ length: N }, (_, n) => new SentenceGenerator(3).recordAt(n));
const ads = new AdEventGenerator(3);
const adEvents: TextRecord[] = Array.from({ length: N }, (_, n) => ads.recordAt(n));

/** Runs a pipeline built over a 2048-slot ring of text columns; its collector and counters. */
function run(records: readonly TextRecord[], build: (columns: RecordColumns, sink: Collector, counters: ReturnType<typeof recordCounters>) => SlotStage) {
  const columns = createTextColumns(2048);
  const sink = new Collector();
  const counters = recordCounters();
  const stage = build(columns, sink, counters);
  drive(stage, (offset, committed) => writeText(columns, offset, records[offset].dateTimeUs, records[offset].text, committed), columns.mask, 0, records.length);
  stage.finish();
  return { sink, counters };
}

describe('text generators', () => {
  it('make sentences of vocabulary words, Zipf-like, the same for the same seed', () => {
    expect(new SentenceGenerator(3).recordAt(17)).toEqual(sentences[17]);
    expect(new SentenceGenerator(4).recordAt(17)).not.toEqual(sentences[17]);
    const words = sentences.flatMap((s) => s.text.toLowerCase().match(/[a-z]+/g) ?? []);
    expect(new Set(words).size).toBe(SENTENCE_VOCABULARY.length);
    const the = words.filter((w) => w === 'the').length;
    const see = words.filter((w) => w === 'see').length;
    expect(the / see).toBeGreaterThan(40); // weight 1 against 1/64
    expect(sentences[0].text).toMatch(/^[A-Z][a-z]*( [a-z]+,?)*\.$/);
  });

  it('make YSB-like JSON ad events, a third of them views', () => {
    const documents = adEvents.map((e) => JSON.parse(e.text));
    expect(Object.keys(documents[0])).toEqual(['user_id', 'page_id', 'ad_id', 'ad_type', 'event_type', 'event_time', 'ip_address']);
    expect(documents[0].ad_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(AD_EVENT_TYPES).toContain(documents[0].event_type);
    const views = documents.filter((d) => d.event_type === 'view').length / N;
    expect(views).toBeGreaterThan(0.31);
    expect(views).toBeLessThan(0.35);
    expect(new Set(documents.map((d) => d.ad_id)).size).toBeLessThanOrEqual(1000);
    expect(documents[100].event_time).toBe(String(Math.floor(adEvents[100].dateTimeUs / 1000)));
  });
});

describe('text pipelines over shared columns equal the reference evaluator', () => {
  it('wordcount: tokenizer → keyed count emits (word, count so far) per word', () => {
    const { sink } = run(sentences, (columns, out) => new Tokenizer(columns, new KeyedRowCount(out)));
    const expected = wordcount(sentences);
    expect(expected.length).toBeGreaterThan(N * 4);
    expect(multiset(sink.rows)).toEqual(multiset(expected));
    expect(sink.finished).toBe(1);
  });

  it('json-ingest: parse → filter views → project (ad_id, event_time) → count per ad per 1 s window', () => {
    const { sink, counters } = run(adEvents, (columns, out, k) =>
      new JsonProjection(columns, new WindowedCount(out, { sizeMs: 1000 }, k), { filter: { field: 'event_type', equals: 'view' }, project: ['ad_id', 'event_time'] }, k),
    );
    const expected = jsonIngest(adEvents, 1000);
    expect(expected.length).toBeGreaterThan(1000);
    expect(multiset(sink.rows)).toEqual(multiset(expected));
    expect(counters).toEqual({ lateDropped: 0, parseErrors: 0 });
  });
});

describe('text operators at the edges', () => {
  const texts = (items: string[]): TextRecord[] => items.map((text, n) => ({ dateTimeUs: n * 1000, text }));

  it('the tokenizer splits on anything but ASCII letters and digits, lowercases, and skips empty texts', () => {
    const { sink } = run(texts(["Don't STOP-me now", '', '  ', 'naïve 42x']), (c, out) => new Tokenizer(c, out));
    expect(sink.rows.map((row) => row[1])).toEqual(['don', 't', 'stop', 'me', 'now', 'na', 've', '42x']);
  });

  it('the JSON projection counts documents that do not parse or are not objects, and projects missing fields as ""', () => {
    const { sink, counters } = run(texts(['{"a":1,"b":"x"}', '{broken', '42', 'null', '{"a":{"n":2}}']), (c, out, k) => new JsonProjection(c, out, { project: ['b', 'a'] }, k));
    expect(counters.parseErrors).toBe(3);
    expect(sink.rows.map((row) => row.slice(1))).toEqual([['x', 1], ['', '{"n":2}']]);
  });

  it('hashes rows for a digest: equal rows alike, a number unlike its text, field boundaries kept', () => {
    expect(hashRow(['ab', 1])).toBe(hashRow(['ab', 1]));
    expect(hashRow(['ab', 1])).not.toBe(hashRow(['ab', '1']));
    expect(hashRow(['a', 'b'])).not.toBe(hashRow(['ab', '']));
    expect(hashRow([])).toBe(0x811c9dc5);
  });
});
