/**
 * Builds a record query's operator chain over one partition's shared columns: the
 * {@link SlotStage} that reads each record by slot, the row stages after it, ending in the
 * given {@link RowSink}. The chain is interpreted (no code generation for record pipelines:
 * `--codegen` applies to the scalar pipeline only). Its stages, in order, are what a
 * recovering task snapshots at commit points and restores in a replacement.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import { CurrencyConversion } from './currency-conversion.js';
import { HighestBid } from './highest-bid.js';
import { HotItems } from './hot-items.js';
import { IncrementalJoin } from './incremental-join.js';
import { JsonProjection } from './json-projection.js';
import { KeyedRowCount } from './keyed-count.js';
import { NewUsers } from './new-users.js';
import { PassThrough } from './pass-through.js';
import { queryWindow, type RecordQuery } from './record-query.js';
import type { RecordCounters, Recoverable, RowSink, SlotStage } from './record-stage.js';
import { Selection } from './selection.js';
import { Tokenizer } from './tokenizer.js';
import { WindowedCount } from './windowed-count.js';

/** A built record pipeline: its head, and every stage's state in pipeline order. */
export interface RecordPipeline {
  readonly head: SlotStage;
  readonly stages: readonly Recoverable[];
}

/** The operators of `query` over `columns` (windows `windowScale`× shorter than the query's), ending in `sink`. */
export function buildRecordPipeline(query: RecordQuery, windowScale: number, columns: RecordColumns, sink: RowSink, counters: RecordCounters): RecordPipeline {
  const window = queryWindow(query, windowScale);
  const sizeMs = window?.sizeMs ?? 0;
  const one = (head: SlotStage): RecordPipeline => ({ head, stages: [head] });
  switch (query) {
    case 'q0':
      return one(new PassThrough(columns, sink));
    case 'q1':
      return one(new CurrencyConversion(columns, sink));
    case 'q2':
      return one(new Selection(columns, sink));
    case 'q3':
      return one(new IncrementalJoin(columns, sink));
    case 'q5':
      return one(new HotItems(columns, sink, { sizeMs, slideMs: window?.slideMs ?? sizeMs }, counters));
    case 'q7':
      return one(new HighestBid(columns, sink, { sizeMs }, counters));
    case 'q8':
      return one(new NewUsers(columns, sink, { sizeMs }, counters));
    case 'wordcount': {
      const count = new KeyedRowCount(sink);
      return withStages(new Tokenizer(columns, count), count);
    }
    case 'json-ingest': {
      const counted = new WindowedCount(sink, { sizeMs }, counters);
      return withStages(new JsonProjection(columns, counted, { filter: { field: 'event_type', equals: 'view' }, project: ['ad_id', 'event_time'] }, counters), counted);
    }
  }
}

function withStages(head: SlotStage, ...rest: Recoverable[]): RecordPipeline {
  return { head, stages: [head, ...rest] };
}
