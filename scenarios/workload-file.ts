/**
 * Reading a workload file (`.json`, `.yaml` or `.yml`): parse, validate against the schema
 * (`workload-schema.ts`), check across fields (`workload-checks.ts`), and turn it into a
 * {@link Scenario}. Any problem is a {@link WorkloadError}: one line per problem naming the
 * file, the field's path, what was found and what is accepted; the CLI exits 2 on it.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UsageError } from '../primitives/usage-error.js';
import type { Scenario } from './scenario.js';
import { workloadProblems } from './workload-checks.js';
import { issueLines, problemLines } from './workload-errors.js';
import { toScenario } from './workload-scenario.js';
import { workloadSchema, type WorkloadFile } from './workload-schema.js';

/** The file name endings of workload files. */
export const WORKLOAD_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** The syntax a workload file is written in. */
export type WorkloadFormat = 'json' | 'yaml';

/** Bad workload input: `lines` are the problems, each `label: path: found …; accepted: …`. */
export class WorkloadError extends UsageError {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** The format a path's ending names, or undefined when it names none. */
export function workloadFormat(path: string): WorkloadFormat | undefined {
  const ending = extname(path).toLowerCase();
  if (ending === '.json') return 'json';
  if (ending === '.yaml' || ending === '.yml') return 'yaml';
  return undefined;
}

/** The validated file (defaults filled in) from its text; `label` names the file in messages. */
export function parseWorkloadFile(text: string, format: WorkloadFormat, label: string): WorkloadFile {
  if (text.trim() === '') throw new WorkloadError([`${label}: the file is empty; accepted: a workload (an object with name, description, profile, keys, valueRange, pipeline, …)`]);
  const data = format === 'json' ? parseJson(text, label) : parseYamlText(text, label);
  const result = workloadSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new WorkloadError(problemLines(label, issueLines(result.error.issues)));
  const problems = workloadProblems(result.data);
  if (problems.length > 0) throw new WorkloadError(problemLines(label, problems));
  return result.data;
}

/** The scenario a workload file's text declares. */
export function parseWorkload(text: string, format: WorkloadFormat, label: string): Scenario {
  return toScenario(parseWorkloadFile(text, format, label));
}

/** Reads and validates the workload file at `path` (`label`, default the path, names it in messages). */
export function loadWorkloadFile(path: string, label = path): Scenario {
  return toScenario(readWorkloadFile(path, label));
}

/** Reads the workload file at `path` as validated (defaults filled in), for showing it. */
export function readWorkloadFile(path: string, label = path): WorkloadFile {
  const format = workloadFormat(path);
  if (!format) throw new WorkloadError([`${label}: not a workload file; accepted: a file ending in ${WORKLOAD_EXTENSIONS.join(', ')}`]);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'not readable (permission denied)' : (error as Error).message;
    throw new WorkloadError([`${label}: ${why}`]);
  }
  return parseWorkloadFile(text, format, label);
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const where = at ? `${lineColumn(text, Number(at[1]))}: ` : '';
    const what = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '').replace(/, ".*" is not valid JSON$/s, '');
    throw new WorkloadError([`${label}: not valid JSON: ${where}${what}`]);
  }
}

function parseYamlText(text: string, label: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const position = error.linePos?.[0];
    const where = position ? `line ${position.line}, column ${position.col}: ` : '';
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new WorkloadError([`${label}: not valid YAML: ${where}${what}`]);
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}
