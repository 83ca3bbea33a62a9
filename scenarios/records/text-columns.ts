/**
 * Text records in shared columns (`TEXT_SCHEMA`: event time µs + one string), for the
 * wordcount sentences and the json-ingest documents: written like Nexmark events
 * (`scenarios/nexmark/event-columns.ts`), refused when their bytes would overwrite a live
 * record.
 */
import { RecordColumns } from '../../primitives/record-columns.js';
import { TEXT_SCHEMA } from '../../engines/records/schemas.js';

/** Text record columns for `slots` records with `bytesPerSlot` arena bytes each on average. */
export function createTextColumns(slots: number, bytesPerSlot = 256): RecordColumns {
  return RecordColumns.create(TEXT_SCHEMA, slots, Math.ceil(slots) * bytesPerSlot);
}

/** Writes a text record at `offset`; false (nothing written) if its bytes would overwrite a live record. */
export function writeText(columns: RecordColumns, offset: number, dateTimeUs: number, text: string, oldestLiveOffset = offset): boolean {
  const arena = columns.strings;
  if (!arena.begin(offset, 3 * text.length, oldestLiveOffset)) return false;
  arena.put(0, text);
  columns.float64('dateTime')[offset & columns.mask] = dateTimeUs;
  arena.end();
  return true;
}
