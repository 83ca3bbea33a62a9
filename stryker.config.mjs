/**
 * Mutation testing (Stryker, vitest runner): `npm run test:mutation` runs one Stryker run per
 * file in `targets`, each against the test files that import it directly
 * (`test/mutation/run.mjs` sets STRYKER_TARGET for each). `npx stryker run` on its own mutates
 * every target in one run against all their importers. Equivalent mutants (they change only
 * speed, never a result) are listed with a reason each in test/mutation/equivalent-mutants.json;
 * `npm run test:mutation` leaves them out of each file's score and exits 1 when a file scores
 * under `thresholds.break` (plain `stryker run` counts them as survivors).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importersOf } from './test/mutation/importers.mjs';

/** The files under mutation testing: add a file here (its tests are found by their imports). */
export const targets = [
  'engines/triggers/fixed-grid.ts',
  'engines/triggers/processing-time.ts',
  'runner/sweep/stability.ts',
  'runner/sweep/search.ts',
  'reports/gate/statistics.ts',
  'reports/gate/verdict.ts',
  'runner/load-generator.ts',
  'runner/recovery.ts',
];

/** Where reports go (ignored by git, like the benchmark outputs in reports/out/). */
export const reportDir = 'reports/out/mutation';

/** The name of a target's reports: `runner/sweep/search.ts` → `runner-sweep-search`. */
export function reportName(file) {
  return file.replace(/\.ts$/, '').replaceAll('/', '-');
}

const root = path.dirname(fileURLToPath(import.meta.url));
const only = process.env.STRYKER_TARGET;
if (only !== undefined && !targets.includes(only)) throw new Error(`STRYKER_TARGET=${only} is not one of the targets in stryker.config.mjs`);
const mutate = only !== undefined ? [only] : targets;
const name = only !== undefined ? reportName(only) : 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // A static mutant (code run once, when its module loads, e.g. a constant's initialiser) is
  // reported as surviving by the vitest runner even when the tests fail on it (checked by
  // hand: DEFAULT_TOLERANCE = {} in stability.ts fails 7 tests, yet "survived"). Ignored
  // instead of counted as false survivors; the summary lists them.
  ignoreStatic: true,
  mutate,
  testFiles: [...new Set(mutate.flatMap((file) => importersOf(root, file)))],
  // Not needed by the tests: keeps the sandbox copy small.
  ignorePatterns: ['dist', 'reports/out', '.dev', '.stryker-tmp'],
  thresholds: { high: 95, low: 90, break: 90 },
  concurrency: 2,
  // Every mutant that timed out so far is a real endless loop (a loop counter turned around, a
  // stop flag never set): each costs the whole timeout and a test-runner restart. A mutant's
  // timeout is 1.5 × its covering tests' own time under instrumentation (Stryker's
  // timeoutFactor; the load generator's tests take 11 s so instrumented, against 1.8 s plain)
  // plus this margin, so a run that only stalls on a busy machine is not taken for a hang.
  timeoutMS: 1000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/${name}.html` },
  jsonReporter: { fileName: `${reportDir}/${name}.json` },
  incrementalFile: `${reportDir}/${name}.incremental.json`,
  // One sandbox folder per target: runs of different targets may run side by side.
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: true,
};
