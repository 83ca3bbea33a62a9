#!/usr/bin/env node
/**
 * `npm run test:mutation [-- FILE…] [--incremental]`: one Stryker run per target of
 * `stryker.config.mjs` (or per FILE given), each against the test files that import it, two
 * at a time on a 2-core machine. Each run's log and reports are in reports/out/mutation/.
 * Prints one line per file, the survivors of a file under the break threshold, and every
 * mutant marked equivalent with its reason; exits 1 when any file scores under the threshold
 * or a run fails. `--incremental` reuses each file's previous results (a local speed-up;
 * CI runs everything from a clean clone).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config, { reportDir, reportName, targets } from '../../stryker.config.mjs';
import { importersOf } from './importers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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
// Two runs at a time, one test runner each: a run's serial phases (sandbox, instrumenting,
// dry run) then overlap the other's mutants instead of leaving a core idle.
const jobs = Math.max(1, Number(process.env.MUTATION_JOBS ?? 2));
const runnersPerJob = Math.max(1, Number(process.env.MUTATION_RUNNERS ?? 1));

mkdirSync(path.join(root, reportDir), { recursive: true });

/** Runs Stryker on one file; resolves with its exit code, wall time and report. */
function runOne(file) {
  const name = reportName(file);
  const logFile = path.join(root, reportDir, `${name}.log`);
  const log = openSync(logFile, 'w');
  const started = Date.now();
  const cli = ['run', '--concurrency', String(runnersPerJob), ...(incremental ? ['--incremental'] : [])];
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

/** Mutation score as Stryker computes it: detected ÷ valid, ignored and invalid mutants left out. */
function figures(report, file) {
  const mutants = report?.files?.[file]?.mutants ?? [];
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
    ignored: count('Ignored'),
    score: valid === 0 ? Number.NaN : (100 * (killed + timeout)) / valid,
  };
}

const at = (m) => `${m.location.start.line}:${m.location.start.column}`;

const started = Date.now();
const results = [];
const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const result = await runOne(file);
      results.push(result);
      const f = figures(result.report, file);
      const line = `${f.score.toFixed(1).padStart(5)}%  ${file}  (${f.killed} killed, ${f.timeout} timed out, ${f.survived} survived, ${f.noCoverage} no coverage, ${f.ignored} equivalent; ${result.seconds.toFixed(0)} s)`;
      console.log(line);
    }
  }),
);
results.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));

let failed = false;
for (const result of results) {
  const f = figures(result.report, result.file);
  if (result.report === undefined || (result.code !== 0 && !(f.score < breakAt))) {
    failed = true;
    console.log(`\n${result.file}: Stryker exited ${result.code}${result.signal ? ` (${result.signal})` : ''} without a score; the end of ${path.relative(root, result.logFile)}:`);
    console.log(readFileSync(result.logFile, 'utf8').split('\n').slice(-30).join('\n'));
  } else if (f.score < breakAt) {
    failed = true;
    console.log(`\n${result.file}: ${f.score.toFixed(2)}% is under the break threshold ${breakAt}% (tests: ${importersOf(root, result.file).join(', ')}). Not detected:`);
    for (const m of f.mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
      console.log(`  ${result.file}:${at(m)} ${m.mutatorName} → ${JSON.stringify(m.replacement)}${m.status === 'NoCoverage' ? ' (no test runs it)' : ''}`);
    }
  }
}

const ignored = results.flatMap((r) => figures(r.report, r.file).mutants.filter((m) => m.status === 'Ignored').map((m) => ({ file: r.file, m })));
if (ignored.length > 0) {
  console.log(`\nEquivalent mutants (marked \`Stryker disable\` in the source, not counted):`);
  for (const { file, m } of ignored) console.log(`  ${file}:${at(m)} ${m.mutatorName}: ${m.statusReason ?? ''}`);
}

const all = results.map((r) => figures(r.report, r.file)).reduce((a, f) => ({ detected: a.detected + f.killed + f.timeout, valid: a.valid + f.killed + f.timeout + f.survived + f.noCoverage }), { detected: 0, valid: 0 });
console.log(`\nmutation score ${((100 * all.detected) / all.valid).toFixed(1)}% over ${results.length} files (break at ${breakAt}% per file); ${((Date.now() - started) / 1000).toFixed(0)} s; reports in ${reportDir}/`);
process.exit(failed ? 1 : 0);
