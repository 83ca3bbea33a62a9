/**
 * The reference side of a record query run end to end: the records a trial's source
 * generates (record n of the schedule at its scheduled time: a constant rate with uniform
 * gaps schedules record n at n × 10⁶/rate µs from the run's origin), the reference
 * evaluator's rows over them, and the digest a run's sinks fold those rows into (each row's
 * `hashRow` of its fields, the stamp left out).
 */
import { foldIntoDigest, formatDigest, type OutputDigest } from '../../engines/partition/measuring-sink.js';
import { hashRow } from '../../engines/records/record-stage.js';
import { queryWindow, type RecordQuery } from '../../engines/records/record-query.js';
import { NexmarkGenerator } from '../../scenarios/nexmark/nexmark-generator.js';
import { SentenceGenerator } from '../../scenarios/records/sentence-generator.js';
import { AdEventGenerator } from '../../scenarios/records/ad-event-generator.js';
import * as nexmark from './nexmark-reference.js';
import { jsonIngest, wordcount } from './text-reference.js';
import type { Row } from './nexmark-reference.js';

/** The reference rows of `query` over the first `count` records of seed `seed`, record n at `n × gapUs`. */
export function referenceRows(query: RecordQuery, windowScale: number, seed: number, count: number, gapUs: number): Row[] {
  const times = Array.from({ length: count }, (_, n) => n * gapUs);
  const window = queryWindow(query, windowScale);
  const sizeMs = window?.sizeMs ?? 0;
  if (query === 'wordcount') {
    const sentences = new SentenceGenerator(seed);
    return wordcount(times.map((t, n) => sentences.recordAt(n, t)));
  }
  if (query === 'json-ingest') {
    const ads = new AdEventGenerator(seed);
    return jsonIngest(times.map((t, n) => ads.recordAt(n, t)), sizeMs);
  }
  const generator = new NexmarkGenerator({ seed });
  const events = times.map((t, n) => generator.eventAt(n, t));
  switch (query) {
    case 'q0':
      return nexmark.q0(events);
    case 'q1':
      return nexmark.q1(events);
    case 'q2':
      return nexmark.q2(events);
    case 'q3':
      return nexmark.q3(events);
    case 'q5':
      return nexmark.q5(events, sizeMs, window?.slideMs ?? sizeMs);
    case 'q7':
      return nexmark.q7(events, sizeMs);
    case 'q8':
      return nexmark.q8(events, sizeMs);
  }
}

/** The digest of `rows` as a run reports it (`count:hashAhashB`). */
export function rowsDigest(rows: readonly Row[]): string {
  const digest: OutputDigest = { count: 0, sumA: 0, sumB: 0 };
  for (const row of rows) foldIntoDigest(digest, hashRow(row.slice(1)), 0);
  return formatDigest(digest);
}
