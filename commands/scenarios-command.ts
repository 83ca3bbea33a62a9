/**
 * `streambench scenarios`: lists the built-in scenarios (the workload files in
 * `scenarios/builtin/`) with their descriptions; with `--scenario <file|name>` validates
 * workload files and shows each as it will run (defaults filled in). A bad file is reported
 * like any bad input: one line per problem, exit code 2.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../primitives/usage-error.js';
import { BUILTIN_DIR, builtinScenarios, isWorkloadPath, readWorkloadFile, WORKLOAD_SCHEMA_FILE } from '../scenarios/index.js';
import { acceptedScenarios } from '../runner/scenario-options.js';

/** `streambench scenarios --help`. */
export function scenariosHelp(): string {
  return [
    'Usage: streambench scenarios [--scenario <file|name>[,…]]',
    '',
    'Lists the built-in scenarios with their descriptions. With --scenario, validates each',
    'workload file (.json, .yaml, .yml) and shows it as it will run, defaults filled in.',
    '',
    'Options:',
    '  --scenario <v>           workload files or built-in names, comma-separated',
    '  --help                   show this help',
    '',
    `Workload file format: ${WORKLOAD_SCHEMA_FILE} (JSON Schema; README "Workload files").`,
  ].join('\n');
}

/** Runs `streambench scenarios`; returns the exit code (bad input throws {@link UsageError}). */
export function scenariosMain(argv: string[], write: (text: string) => void = (text) => void process.stdout.write(text)): number {
  let values: { scenario?: string; help?: boolean };
  try {
    values = parseArgs({ args: argv, options: { scenario: { type: 'string' }, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0].replace(/\.$/, '')}. Run \`streambench scenarios --help\` for the accepted flags.`);
  }
  if (values.help) {
    write(`${scenariosHelp()}\n`);
    return 0;
  }
  if (values.scenario === undefined) {
    write(`${listBuiltins()}\n`);
    return 0;
  }
  const items = values.scenario.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--scenario is empty; accepted: ${acceptedScenarios()}`);
  const shown = items.map((item) => {
    const builtin = builtinScenarios().has(item);
    if (!builtin && !isWorkloadPath(item)) throw new UsageError(`--scenario: unknown scenario '${item}'; accepted: ${acceptedScenarios()}`);
    const path = builtin ? resolve(BUILTIN_DIR, `${item}.json`) : resolve(item);
    const workload = readWorkloadFile(path, builtin ? shortPath(path) : item);
    return `${builtin ? `${item}: built-in` : `${item}: valid`}, scenario '${workload.name}': ${workload.description}\n${JSON.stringify(workload, null, 2)}`;
  });
  write(`${shown.join('\n\n')}\n`);
  return 0;
}

function listBuiltins(): string {
  const scenarios = [...builtinScenarios().values()];
  const width = Math.max(...scenarios.map((s) => s.name.length));
  return [
    `Built-in scenarios (${shortPath(BUILTIN_DIR)}/, one workload file each):`,
    ...scenarios.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`),
    '',
    'Run one with `streambench run --scenario <name>`, or a workload file of your own with',
    '`--scenario ./my-workload.yaml`; `streambench scenarios --scenario <file>` validates one.',
    `Format: ${shortPath(WORKLOAD_SCHEMA_FILE)} (JSON Schema, for editors).`,
  ].join('\n');
}

/** A path relative to the working folder when it lies inside it, else absolute. */
function shortPath(path: string): string {
  const near = relative(process.cwd(), path);
  return near === '' || near.startsWith('..') ? path : near;
}
