/**
 * The reference evaluator for wordcount and json-ingest: plain and independent of the
 * operators — regular expressions and `JSON.parse` over every record's text, then group and
 * count. Rows are [stamp µs, ...fields], as in `nexmark-reference.ts`.
 */
import type { Row } from './nexmark-reference.js';

/** A text record, as the generators give it. */
export interface TextRecord {
  readonly dateTimeUs: number;
  readonly text: string;
}

/** wordcount: for every word occurrence, (word, its count so far), words = [a-z0-9]+ of the lowercased text. */
export function wordcount(records: readonly TextRecord[]): Row[] {
  const seen = new Map<string, number>();
  const rows: Row[] = [];
  for (const record of records) {
    for (const word of record.text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const count = (seen.get(word) ?? 0) + 1;
      seen.set(word, count);
      rows.push([record.dateTimeUs, word, count]);
    }
  }
  return rows;
}

/** json-ingest: parse, keep event_type = "view", count per (ad_id, TUMBLE(size) window): (ad_id, count, window start). */
export function jsonIngest(records: readonly TextRecord[], sizeMs: number): Row[] {
  const sizeUs = sizeMs * 1000;
  const views = records
    .map((record) => ({ record, document: JSON.parse(record.text) as Record<string, unknown> }))
    .filter(({ document }) => document.event_type === 'view');
  const windows = new Map<number, { stamp: number; counts: Map<string, number> }>();
  for (const { record, document } of views) {
    const index = Math.floor(record.dateTimeUs / sizeUs);
    const window = windows.get(index) ?? { stamp: -Infinity, counts: new Map<string, number>() };
    windows.set(index, window);
    window.stamp = Math.max(window.stamp, record.dateTimeUs);
    const ad = document.ad_id as string;
    window.counts.set(ad, (window.counts.get(ad) ?? 0) + 1);
  }
  const rows: Row[] = [];
  for (const [index, { stamp, counts }] of windows) for (const [ad, count] of counts) rows.push([stamp, ad, count, index * sizeUs]);
  return rows;
}
