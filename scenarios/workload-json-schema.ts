/**
 * The published JSON Schema of workload files (`scenarios/workload.schema.json`), generated
 * from the zod schema that validates them, so the file editors complete from and the
 * validator cannot drift apart (a test compares the committed file with this; `npm run
 * schema` rewrites it). Draft-07, which every editor's JSON language service reads.
 */
import * as z from 'zod';
import { workloadSchema } from './workload-schema.js';

/** The JSON Schema of a workload file, as an object. */
export function workloadJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(workloadSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: 'streambench workload', ...rest };
}

/** The text of `workload.schema.json`. */
export function workloadJsonSchemaText(): string {
  return `${JSON.stringify(workloadJsonSchema(), null, 2)}\n`;
}
