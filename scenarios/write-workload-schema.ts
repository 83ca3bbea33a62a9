/** `npm run schema`: rewrites `scenarios/workload.schema.json` from the zod schema. */
import { writeFileSync } from 'node:fs';
import { WORKLOAD_SCHEMA_FILE } from './catalog.js';
import { workloadJsonSchemaText } from './workload-json-schema.js';

writeFileSync(WORKLOAD_SCHEMA_FILE, workloadJsonSchemaText());
process.stdout.write(`wrote ${WORKLOAD_SCHEMA_FILE}\n`);
