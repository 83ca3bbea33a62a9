/**
 * The results file (`results.json`, schema in ./schema.ts) and the report set written next
 * to it: built from the runs, written atomically as one set with its CSVs, and read back
 * with validation that names the problem and the fix (DESIGN.md §6-§7).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFilesAtomic } from './atomic-write.js';
import { percentilesCsv, summaryCsv, timelineCsv } from './csv.js';
import { RESULTS_SCHEMA, RESULTS_VERSION } from '../primitives/results-schema.js';
import type { DigestCheck, Environment, ResultsFile, RunResult } from '../primitives/results-schema.js';
import { summarizeRuns } from './summary.js';
import { RECOVERY_CSV_NAME, recoveryCsv, SINK_CSV_NAME, sinkCsv } from './downstream-csv.js';
import { BRANCHES_CSV_NAME, branchesCsv, SPILL_CSV_NAME, spillCsv } from './memory-csv.js';
import { sweepCsv } from './sweep-csv.js';

/** Names of the files {@link writeReports} writes, in the order it returns their paths. */
export const REPORT_FILE_NAMES = ['results.json', 'summary.csv', 'percentiles.csv', 'timeline.csv'] as const;

/** Written after the others, in the same atomic set, when the file has `sweeps`. */
export const SWEEP_CSV_NAME = 'sweep.csv';

/** A results file that cannot be read; the message names the file, the problem and the fix. */
export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';

  constructor(
    /** The file as given to {@link readResultsFile}. */
    readonly path: string,
    /** What is wrong, e.g. "version 2 is not supported by this streambench (reads version 1)". */
    readonly problem: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(`${path}: ${problem}; ${fix}`);
  }
}

/** A results file for `runs`, stamped with the current time (or `createdAt`); with `sweep`, its sweeps and frontier. */
export function buildResultsFile(
  runs: readonly RunResult[],
  environment: Environment,
  options: Record<string, unknown>,
  digestChecks: readonly DigestCheck[],
  createdAt: Date = new Date(),
  sweep?: Pick<Required<ResultsFile>, 'sweeps' | 'frontier'>,
): ResultsFile {
  return {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    createdAt: createdAt.toISOString(),
    environment,
    options,
    runs: [...runs],
    digestChecks: [...digestChecks],
    ...(sweep ? { sweeps: [...sweep.sweeps], frontier: [...sweep.frontier] } : {}),
  };
}

/**
 * Writes results.json (pretty-printed), summary.csv, percentiles.csv and timeline.csv into
 * `outDir` (created if needed) as one atomic set: either all four are replaced or none is.
 * Returns the paths written, in {@link REPORT_FILE_NAMES} order; a file with `sweeps` also
 * gets {@link SWEEP_CSV_NAME}, last, in the same set.
 */
export async function writeReports(outDir: string, file: ResultsFile): Promise<string[]> {
  const contents = [
    `${JSON.stringify(file, null, 2)}\n`,
    summaryCsv(summarizeRuns(file.runs)),
    percentilesCsv(file.runs),
    timelineCsv(file.runs),
  ];
  const files = REPORT_FILE_NAMES.map((name, i) => ({ path: join(outDir, name), data: contents[i] }));
  if (file.sweeps) files.push({ path: join(outDir, SWEEP_CSV_NAME), data: sweepCsv(file.sweeps) });
  if (file.runs.some((run) => run.sink)) files.push({ path: join(outDir, SINK_CSV_NAME), data: sinkCsv(file.runs) });
  if (file.runs.some((run) => run.faults)) files.push({ path: join(outDir, RECOVERY_CSV_NAME), data: recoveryCsv(file.runs) });
  if (file.runs.some((run) => run.branches)) files.push({ path: join(outDir, BRANCHES_CSV_NAME), data: branchesCsv(file.runs) });
  if (file.runs.some((run) => run.spill)) files.push({ path: join(outDir, SPILL_CSV_NAME), data: spillCsv(file.runs) });
  await writeFilesAtomic(files);
  return files.map((f) => f.path);
}

const DAMAGED_FIX = 'the file is damaged or was not written by streambench; re-run the benchmark to write it again';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** Fields every run must have for the reports to read it: dotted path and kind. */
const RUN_FIELDS: ReadonlyArray<[path: string, kind: Kind]> = [
  ['scenario', 'string'],
  ['mode', 'string'],
  ['params', 'object'],
  ['trial', 'number'],
  ['status', 'string'],
  ['offeredRate', 'number'],
  ['durationSec', 'number'],
  ['recordsOffered', 'number'],
  ['recordsIn', 'number'],
  ['recordsOut', 'number'],
  ['throughputIn', 'number'],
  ['throughputOut', 'number'],
  ['sourceDropped', 'number'],
  ['lateDropped', 'number'],
  ['unprocessed', 'number'],
  ['drained', 'boolean'],
  ['latency.eventTime.histogram', 'string'],
  ['latency.processingTime.histogram', 'string'],
  ['generatorLag.histogram', 'string'],
  ['timeline.input', 'object'],
  ['timeline.output', 'object'],
  ['timeline.backlog', 'array'],
  ['outputDigest', 'string'],
];

/** Fields a run must have when it carries the optional figure named first (`burst`'s recovery, `priority`'s classes). */
const OPTIONAL_RUN_FIELDS: ReadonlyArray<[present: string, path: string, kind: Kind]> = [
  ['recovery', 'recovery.windowP99Us', 'array'],
  ['recovery', 'recovery.peakLatencyUs', 'number'],
  ['priority', 'priority.priority.eventTime.histogram', 'string'],
  ['priority', 'priority.normal.eventTime.histogram', 'string'],
];

/** The kind of a JSON value, in the words {@link Kind} uses ('missing' for undefined, 'null' for null). */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The value at a dotted path, or undefined where the path leaves the object. */
function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (kindOf(value) === 'object' ? (value as Record<string, unknown>)[key] : undefined), root);
}

/** Throws a {@link ResultsFileError} if the value at `path` is not of `kind`. */
function expectKind(file: string, root: unknown, path: string, kind: Kind, label = path): void {
  const actual = kindOf(valueAt(root, path));
  if (actual === kind) return;
  const problem = actual === 'missing' ? `${label} is missing (expected ${kind})` : `${label} is ${actual} (expected ${kind})`;
  throw new ResultsFileError(file, problem, DAMAGED_FIX);
}

/** Reads the file's text, turning file-system errors into {@link ResultsFileError}s. */
async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ResultsFileError(path, 'file not found', 'check the path, or run `streambench run` to create results.json');
    }
    if (code === 'EISDIR') {
      throw new ResultsFileError(path, 'is a directory', 'pass the path of the results.json file inside it');
    }
    throw new ResultsFileError(path, `cannot be read (${code ?? String(error)})`, 'check the file permissions');
  }
}

/** Parses the text as JSON, turning a syntax error into a {@link ResultsFileError}. */
function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ResultsFileError(path, `is not valid JSON (${detail})`, 'the file is truncated or damaged; re-run the benchmark to write it again');
  }
}

/** Checks the schema name and version, which decide whether the rest can be read at all. */
function checkSchemaAndVersion(path: string, data: unknown): void {
  if (kindOf(data) !== 'object') {
    throw new ResultsFileError(path, `holds a JSON ${kindOf(data)}, not a results object`, 'pass a results.json written by `streambench run`');
  }
  const { schema, version } = data as Record<string, unknown>;
  if (schema !== RESULTS_SCHEMA) {
    throw new ResultsFileError(
      path,
      `schema is ${JSON.stringify(schema) ?? 'missing'}, expected "${RESULTS_SCHEMA}"`,
      'pass a results.json written by `streambench run`',
    );
  }
  if (version !== RESULTS_VERSION) {
    throw new ResultsFileError(
      path,
      `version ${JSON.stringify(version) ?? '(missing)'} is not supported by this streambench (reads version ${RESULTS_VERSION})`,
      'read it with the streambench version that wrote it, or re-run the benchmark with this one',
    );
  }
}

/** Checks the top-level fields and the fields of every run that the reports rely on. */
function checkFields(path: string, data: unknown): void {
  expectKind(path, data, 'createdAt', 'string');
  expectKind(path, data, 'environment', 'object');
  expectKind(path, data, 'options', 'object');
  expectKind(path, data, 'runs', 'array');
  expectKind(path, data, 'digestChecks', 'array');
  const runs = (data as { runs: unknown[] }).runs;
  runs.forEach((run, i) => {
    if (kindOf(run) !== 'object') throw new ResultsFileError(path, `runs[${i}] is ${kindOf(run)} (expected object)`, DAMAGED_FIX);
    for (const [field, kind] of RUN_FIELDS) expectKind(path, run, field, kind, `runs[${i}].${field}`);
    for (const [present, field, kind] of OPTIONAL_RUN_FIELDS) {
      if (valueAt(run, present) !== undefined) expectKind(path, run, field, kind, `runs[${i}].${field}`);
    }
  });
}

/**
 * Reads and validates a results file: it must exist, be JSON, carry schema
 * "streambench/results" at the version this code reads, and have the fields the reports
 * use. Anything else throws a {@link ResultsFileError} naming the problem and the fix.
 */
export async function readResultsFile(path: string): Promise<ResultsFile> {
  const data = parseJson(path, await readText(path));
  checkSchemaAndVersion(path, data);
  checkFields(path, data);
  return data as ResultsFile;
}
