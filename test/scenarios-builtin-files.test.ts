/**
 * The built-in scenarios are workload files in scenarios/builtin/, found by listing the
 * folder; each must give exactly the Scenario object its TypeScript constant was (so runs,
 * and the digests of `npm run bench`, do not change), and the published JSON Schema must be
 * the one generated from the validator.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operatorNames } from '../engines/operators/pipeline.js';
import { BUILTIN_DIR, builtinScenarios, WORKLOAD_SCHEMA_FILE } from '../scenarios/catalog.js';
import { legacyScenarios as constants } from './fixtures/legacy-scenarios.js';
import { workloadJsonSchemaText } from '../scenarios/workload-json-schema.js';
import { operatorSchema } from '../scenarios/workload-schema.js';

describe('built-in workload files', () => {
  it('are every file of the folder, one scenario each, named after it', () => {
    const files = readdirSync(BUILTIN_DIR).filter((file) => file.endsWith('.json')).sort();
    expect(files).toEqual([...builtinScenarios().keys()].map((name) => `${name}.json`).sort());
    expect([...builtinScenarios().keys()]).toEqual([
      'burst', 'cache', 'fault', 'heavy', 'heavy-2x', 'json-ingest',
      'nexmark-q0', 'nexmark-q1', 'nexmark-q2', 'nexmark-q3', 'nexmark-q5', 'nexmark-q7', 'nexmark-q8',
      'priority', 'slow-sink', 'spill', 'steady', 'windowed', 'wordcount',
    ]);
  });

  it('declare one record query each for the Nexmark, wordcount and json-ingest scenarios, with its source and window scale', () => {
    const records = [...builtinScenarios().values()].filter((s) => s.records).map((s) => [s.name, s.records?.source, s.records?.query, s.records?.windowScale, s.pipeline.length]);
    expect(records).toEqual([
      ['json-ingest', 'json', 'json-ingest', 10, 0],
      ...['q0', 'q1', 'q2', 'q3', 'q5', 'q7', 'q8'].map((q) => [`nexmark-${q}`, 'nexmark', q, 10, 0]),
      ['wordcount', 'text', 'wordcount', 1, 0],
    ]);
  });

  it.each([...constants.keys()])('%s gives exactly the scenario its constant declared', (name) => {
    expect(builtinScenarios().get(name)).toStrictEqual(constants.get(name));
  });

  it('point editors at the published schema', () => {
    for (const name of builtinScenarios().keys()) {
      const file = JSON.parse(readFileSync(`${BUILTIN_DIR}/${name}.json`, 'utf8')) as { $schema?: string };
      expect(file.$schema).toBe('../workload.schema.json');
    }
  });
});

describe('the published JSON Schema', () => {
  it('is the one generated from the validator (run `npm run schema` after changing workload-schema.ts)', () => {
    expect(readFileSync(WORKLOAD_SCHEMA_FILE, 'utf8')).toBe(workloadJsonSchemaText());
  });

  it('names every pipeline operator the engines have', () => {
    expect(operatorSchema.options.map((option) => option.shape.op.value).sort()).toEqual([...operatorNames].sort());
  });
});
