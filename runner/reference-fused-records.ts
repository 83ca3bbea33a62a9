/**
 * The in-process floor of a record query (issue 14), as `reference-fused.ts` is of a scalar
 * pipeline: the query's operators over records already in one ring of record columns, each
 * slot pushed in a tight loop on one thread — no source log, no worker threads, no latency
 * recording, no generation in the timed loop. Records are the scenario's source's (seed 42,
 * 100 µs apart: Nexmark's 10 000 events/s), so windows close as they would at that rate.
 */
import { Bench } from 'tinybench';
import { buildRecordPipeline } from '../engines/records/record-pipeline.js';
import { recordCounters, type RowSink } from '../engines/records/record-stage.js';
import type { RecordSourceSpec } from '../engines/records/record-query.js';
import { RecordColumns } from '../primitives/record-columns.js';
import { recordSchemaOf, RecordWriter } from '../scenarios/records/record-writer.js';

/** Records in the floor's ring. */
const RING = 1 << 14;
/** Their spacing (µs). */
const GAP_US = 100;

/** Output rows per second of the record query fused on one thread (tinybench p50 of whole passes over the ring). */
export function measureFusedRecordRate(records: RecordSourceSpec, timeMs = 150): number {
  const columns = RecordColumns.create(recordSchemaOf(records.query), RING, RING * 1024);
  const writer = new RecordWriter({ query: records.query, seed: 42, columns: [columns.buffers] });
  for (let n = 0; n < RING; n++) {
    writer.prepare(n, n * GAP_US);
    if (!writer.write(0, n, 0)) throw new Error(`the fused floor's ring has no room for record ${n}`);
  }
  const view = new RecordColumns(columns.buffers);
  let outputs = 0;
  const bench = new Bench({ time: timeMs, warmupTime: 100 });
  bench.add('fused records', () => {
    let emitted = 0;
    const sink: RowSink = { row: () => void emitted++, finish: () => undefined };
    const { head } = buildRecordPipeline(records.query, records.windowScale, view, sink, recordCounters());
    for (let slot = 0; slot < RING; slot++) head.push(slot);
    head.finish();
    outputs = emitted;
  });
  bench.runSync();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`fused record loop did not complete (${result.state})`);
  return outputs / (result.latency.p50 / 1000);
}
