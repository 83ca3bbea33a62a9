#!/usr/bin/env node
/**
 * `npm run test:mutation [-- FILE…] [--incremental]`: one Stryker run per target of
 * `stryker.config.mjs` (or per FILE given), each against the test files that import it, two
 * at a time on a 2-core machine. Each run's log and reports are in reports/out/mutation/.
 * Prints one line per file, the mutants no test detected, and the equivalent ones with their
 * reasons; exits 1 when any file scores under `thresholds.break` or a run fails.
 *
 * Equivalent mutants (they change only speed, never a result) are listed with the reason for
 * each in `equivalent-mutants.json`, matched by file, mutator, replacement and the code they
 * replace (not by line, so the list survives edits elsewhere in the file; `occurrence` picks
 * the n-th such mutant when the same code appears more than once). They are not counted in
 * the score. An entry that matches no surviving mutant is an error: the code changed, or a
 * test now detects it, and the entry must go.
 *
 * `--incremental` reuses each file's previous results (a local speed-up: ~30 s instead of
 * ~3 min). CI runs everything from a clean clone: Stryker's incremental diff looks only at
 * the mutated file and the test files, so a committed incremental file could keep a result
 * that a change to a fixture or another module has made wrong.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config, { reportDir, reportName, targets } from '../../stryker.config.mjs';
import { importersOf } from './importers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const equivalents = JSON.parse(readFileSync(path.join(here, 'equivalent-mutants.json'), 'utf8'));
const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const breakAt = config.thresholds.break;

const args = process.argv.slice(2);
const incremental = args.includes('--incremental');
const chosen = args.filter((a) => !a.startsWith('--'));
for (const file of chosen) {
  if (!targets.includes(file)) {
    console.error(`test:mutation: ${file} is not a target; add it to \`targets\` in stryker.config.mjs`);
    process.exit(2);
  }
}
const files = chosen.length > 0 ? chosen : targets;
// The longest run first and alone, on every core (it takes longer than all the others
// together: the load generator's), then two at a time, sharing the cores: a run's serial
// phases (sandbox, instrumenting, dry run) then overlap the other's mutants instead of
// leaving a core idle.
const jobs = Math.min(files.length, Math.max(1, Number(process.env.MUTATION_JOBS ?? 2)));
const allRunners = Math.max(1, Number(process.env.MUTATION_RUNNERS ?? availableParallelism()));
const runnersPerJob = Math.max(1, Number(process.env.MUTATION_RUNNERS ?? Math.floor(availableParallelism() / jobs)));

mkdirSync(path.join(root, reportDir), { recursive: true });

/** Runs Stryker on one file; resolves with its exit code, wall time and report. */
function runOne(file, runners) {
  const name = reportName(file);
  const logFile = path.join(root, reportDir, `${name}.log`);
  rmSync(path.join(root, reportDir, `${name}.json`), { force: true }); // never read a previous run's report
  const log = openSync(logFile, 'w');
  const started = Date.now();
  const cli = ['run', '--concurrency', String(runners), ...(incremental ? ['--incremental'] : [])];
  const child = spawn(process.execPath, [stryker, ...cli], {
    cwd: root,
    env: { ...process.env, STRYKER_TARGET: file },
    stdio: ['ignore', log, log],
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      closeSync(log);
      resolve({ file, name, code: code ?? 1, signal, seconds: (Date.now() - started) / 1000, logFile, report: readReport(name) });
    });
  });
}

function readReport(name) {
  const file = path.join(root, reportDir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The code a mutant replaces, from the source kept in the report (locations are 1-based, end exclusive). */
function originalCode(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join('\n');
}

/**
 * A file's figures: the score as Stryker computes it (detected ÷ valid; ignored and invalid
 * mutants left out), with the listed equivalent mutants left out too.
 */
function figures(report, file) {
  const data = report?.files?.[file];
  const listed = equivalents[file] ?? [];
  const matchedEntries = new Set();
  const seen = new Map(); // kind (code, mutator, replacement) → mutants of that kind met so far, in source order
  const inOrder = [...(data?.mutants ?? [])].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  const mutants = inOrder.map((m) => {
    const code = originalCode(data.source, m.location);
    const kind = JSON.stringify([code, m.mutatorName, m.replacement]);
    const occurrence = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, occurrence);
    const entry = listed.find((e) => e.code === code && e.mutator === m.mutatorName && e.replacement === m.replacement && (e.occurrence === undefined || e.occurrence === occurrence));
    if (entry === undefined) return { ...m, code };
    matchedEntries.add(entry);
    return m.status === 'Survived' || m.status === 'NoCoverage' ? { ...m, code, status: 'Equivalent', statusReason: entry.reason } : { ...m, code, detectedButListed: true };
  });
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return {
    mutants,
    killed,
    timeout,
    survived,
    noCoverage,
    equivalent: count('Equivalent'),
    ignored: count('Ignored'),
    score: valid === 0 ? Number.NaN : (100 * (killed + timeout)) / valid,
    // Entries of the list that no longer describe a surviving mutant.
    stale: data === undefined ? [] : [...listed.filter((e) => !matchedEntries.has(e)).map((e) => ({ entry: e, why: 'matches no mutant (the code changed?)' })), ...mutants.filter((m) => m.detectedButListed).map((m) => ({ entry: m, why: `is detected (${m.status}) by the tests` }))],
  };
}

const at = (m) => `${m.location.start.line}:${m.location.start.column}`;
const short = (code) => JSON.stringify(code.includes('\n') ? `${code.split('\n')[0]}…` : code);

// Longest runs first, so the last one does not run alone on one core: by the seconds each took
// last time here, else by source size (a clean clone).
const timingsFile = path.join(root, reportDir, 'timings.json');
const lastSeconds = existsSync(timingsFile) ? JSON.parse(readFileSync(timingsFile, 'utf8')) : {};
const weight = (file) => lastSeconds[file] ?? readFileSync(path.join(root, file), 'utf8').length / 100;

const started = Date.now();
const results = [];
const queue = [...files].sort((a, b) => weight(b) - weight(a));
/** Runs `file` and prints its line. */
async function runAndReport(file, runners) {
  const result = await runOne(file, runners);
  results.push(result);
  const f = figures(result.report, file);
  console.log(`${f.score.toFixed(1).padStart(5)}%  ${file}  (${f.killed} killed, ${f.timeout} timed out, ${f.survived} survived, ${f.noCoverage} no coverage, ${f.equivalent} equivalent, ${f.ignored} ignored; ${result.seconds.toFixed(0)} s)`);
}
if (jobs > 1) await runAndReport(queue.shift(), allRunners);
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runAndReport(file, runnersPerJob);
  }),
);
results.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
writeFileSync(timingsFile, `${JSON.stringify({ ...lastSeconds, ...Object.fromEntries(results.map((r) => [r.file, Math.round(r.seconds)])) }, null, 2)}\n`);

let failed = false;
for (const result of results) {
  const f = figures(result.report, result.file);
  // Stryker's own exit code is 1 when the raw score (equivalent mutants counted) is under the
  // break threshold: judged here instead, so only a run without a report is a run that failed.
  if (result.report === undefined) {
    failed = true;
    console.log(`\n${result.file}: Stryker exited ${result.code}${result.signal ? ` (${result.signal})` : ''} without a score; the end of ${path.relative(root, result.logFile)}:`);
    console.log(readFileSync(result.logFile, 'utf8').split('\n').slice(-30).join('\n'));
  } else {
    const undetected = f.mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
    if (f.score < breakAt) {
      failed = true;
      console.log(`\n${result.file}: ${f.score.toFixed(2)}% is under the break threshold ${breakAt}% (tests: ${importersOf(root, result.file).join(', ')}). Not detected:`);
    } else if (undetected.length > 0) {
      console.log(`\n${result.file}: not detected:`);
    }
    for (const m of undetected) {
      console.log(`  ${result.file}:${at(m)} ${m.mutatorName} ${short(m.code)} → ${JSON.stringify(m.replacement)}${m.status === 'NoCoverage' ? ' (no test runs it)' : ''}`);
    }
    if (f.stale.length > 0) {
      failed = true;
      console.log(`\n${result.file}: entries of test/mutation/equivalent-mutants.json to remove or update:`);
      for (const { entry, why } of f.stale) console.log(`  ${entry.mutator ?? entry.mutatorName} ${JSON.stringify(entry.code)} → ${JSON.stringify(entry.replacement)} ${why}`);
    }
  }
}

const notCounted = results.flatMap((r) => figures(r.report, r.file).mutants.filter((m) => m.status === 'Equivalent' || m.status === 'Ignored').map((m) => ({ file: r.file, m })));
if (notCounted.length > 0) {
  console.log('\nNot counted: equivalent (test/mutation/equivalent-mutants.json) and ignored by Stryker:');
  for (const { file, m } of notCounted) console.log(`  ${file}:${at(m)} ${m.mutatorName} ${short(m.code)} → ${JSON.stringify(m.replacement)}: ${m.statusReason ?? ''}`);
}

const all = results.map((r) => figures(r.report, r.file)).reduce((a, f) => ({ detected: a.detected + f.killed + f.timeout, valid: a.valid + f.killed + f.timeout + f.survived + f.noCoverage }), { detected: 0, valid: 0 });
console.log(`\nmutation score ${((100 * all.detected) / all.valid).toFixed(1)}% over ${results.length} files (break at ${breakAt}% per file); ${((Date.now() - started) / 1000).toFixed(0)} s; reports in ${reportDir}/`);
process.exit(failed ? 1 : 0);
