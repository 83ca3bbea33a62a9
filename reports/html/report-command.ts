/**
 * `streambench report <results.json> [more.json …] [--out dir]`: writes a self-contained
 * `index.html` (DESIGN.md §6) for one results file, or for several overlaid for
 * comparison. Also used by `streambench run` to write `index.html` next to results.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../primitives/usage-error.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadReportAssets } from './assets.js';
import { fileLabels } from './model.js';
import { renderReport } from './render.js';
import type { ReportInput } from './render.js';
import { readResultsFile, ResultsFileError } from '../results-file.js';
import type { ResultsFile } from '../../primitives/results-schema.js';

/** Name of the page written into the output folder. */
export const REPORT_PAGE = 'index.html';

/** The parsed arguments of `streambench report`. */
export interface ReportOptions {
  /** Results files, in the order given (the first is the baseline of deltas). */
  files: string[];
  /** Folder for index.html; default: the folder of the first file. */
  out: string;
}

/** `streambench report --help`. */
export function reportHelp(): string {
  return [
    'Usage: streambench report <results.json> [more.json …] [--out dir]',
    '',
    'Writes a self-contained index.html (charts, tables; opens from disk, no network).',
    'With several files, overlays them and shows deltas against the first.',
    '',
    'Options:',
    '  --out <dir>              folder for index.html [default: the folder of the first file]',
    '  --help                   show this help',
  ].join('\n');
}

/** Parses `report`'s arguments. Throws {@link UsageError} on bad input. */
export function parseReportOptions(argv: readonly string[]): ReportOptions | 'help' {
  let parsed: { values: { out?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.split(/\.(\s|$)/)[0]}. Run \`streambench report --help\` for the accepted flags.`);
  }
  if (parsed.values.help) return 'help';
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError('report: give at least one results.json, e.g. `streambench report reports/out/results.json`');
  if (parsed.values.out === '') throw new UsageError('--out: must name a folder');
  return { files, out: parsed.values.out ?? dirname(files[0]) };
}

/** The URL of `folder` relative to `fromDir`, ending in '/' ('' when they are the same). */
function relativeHref(fromDir: string, folder: string): string {
  const path = relative(resolve(fromDir), resolve(folder));
  if (path === '') return '';
  return `${path.split(sep).map(encodeURIComponent).join('/')}/`;
}

/** Renders the page for `inputs` and writes it atomically to `outDir/index.html`; returns its path. */
export async function writeHtmlReport(outDir: string, inputs: readonly ReportInput[]): Promise<string> {
  const html = renderReport(inputs, await loadReportAssets());
  const path = join(outDir, REPORT_PAGE);
  await writeFileAtomic(path, html);
  return path;
}

/** Writes index.html for a run's results file, next to the results.json and CSVs in `outDir`. */
export function writeRunReport(outDir: string, file: ResultsFile): Promise<string> {
  return writeHtmlReport(outDir, [{ label: 'results.json', file, csvHref: '' }]);
}

/** Reads one results file, turning a {@link ResultsFileError} into a {@link UsageError}. */
async function readInput(path: string): Promise<ResultsFile> {
  try {
    return await readResultsFile(path);
  } catch (error) {
    if (error instanceof ResultsFileError) throw new UsageError(`report: ${error.message}`);
    throw error;
  }
}

/** `streambench report`: reads the files, writes index.html, prints its path; returns the exit code. */
export async function reportCommand(options: ReportOptions): Promise<number> {
  const labels = fileLabels(options.files);
  const inputs: ReportInput[] = [];
  for (const [i, path] of options.files.entries()) {
    const file = await readInput(path);
    if (file.runs.length === 0) throw new UsageError(`report: ${path}: holds no runs; nothing to report`);
    const folder = dirname(path);
    const hasCsv = existsSync(join(folder, 'summary.csv'));
    inputs.push({ label: labels[i], file, ...(hasCsv ? { csvHref: relativeHref(options.out, folder) } : {}) });
  }
  const written = await writeHtmlReport(options.out, inputs);
  process.stdout.write(`Wrote ${written}\n`);
  return 0;
}

/** Entry point for the CLI: parses `argv`, prints help or writes the report; returns the exit code. */
export async function reportMain(argv: readonly string[]): Promise<number> {
  const options = parseReportOptions(argv);
  if (options === 'help') {
    process.stdout.write(`${reportHelp()}\n`);
    return 0;
  }
  return reportCommand(options);
}
