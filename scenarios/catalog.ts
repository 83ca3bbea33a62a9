/**
 * Where scenarios come from: the built-in ones are workload files in `scenarios/builtin/`,
 * found by listing the folder (as Nexmark keeps its queries as files), read once, on first
 * use, relative to the package root (so they are found from `dist/` and from an installed
 * package alike); a user's are workload files named by path (`--scenario ./my.yaml`).
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join, sep } from 'node:path';
import { packageFile } from '../primitives/package-root.js';
import type { Scenario } from './scenario.js';
import { loadWorkloadFile, workloadFormat } from './workload-file.js';

/** The folder of the built-in workload files. */
export const BUILTIN_DIR = packageFile('scenarios', 'builtin');

/** The published JSON Schema of workload files. */
export const WORKLOAD_SCHEMA_FILE = packageFile('scenarios', 'workload.schema.json');

let builtins: ReadonlyMap<string, Scenario> | undefined;

/** The built-in scenarios by name, in name order. Each file is `<name>.json` (or `.yaml`/`.yml`). */
export function builtinScenarios(): ReadonlyMap<string, Scenario> {
  if (builtins) return builtins;
  const files = readdirSync(BUILTIN_DIR).filter((file) => workloadFormat(file) !== undefined);
  const loaded = files.map((file) => {
    const scenario = loadWorkloadFile(join(BUILTIN_DIR, file), `scenarios/builtin/${file}`);
    if (basename(file, extname(file)) !== scenario.name) throw new Error(`scenarios/builtin/${file} declares the scenario '${scenario.name}': rename the file or the scenario`);
    return scenario;
  });
  loaded.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < loaded.length; i++) {
    if (loaded[i].name === loaded[i - 1].name) throw new Error(`two built-in workload files declare the scenario '${loaded[i].name}'`);
  }
  builtins = new Map(loaded.map((scenario) => [scenario.name, scenario]));
  return builtins;
}

/** Whether a `--scenario` item names a workload file rather than a built-in scenario. */
export function isWorkloadPath(item: string): boolean {
  return workloadFormat(item) !== undefined || item.includes('/') || item.includes(sep);
}

/** The scenario named `name`: one of `workloads` (loaded from files), else a built-in. */
export function findScenario(name: string, workloads: readonly Scenario[] = []): Scenario | undefined {
  return workloads.find((scenario) => scenario.name === name) ?? builtinScenarios().get(name);
}
