/**
 * The one-way rule between the rooms (ARCHITECTURE.md): each room imports only the rooms
 * below it, and nothing imports in a cycle. `npm test` checks it (test/architecture-layers.test.ts),
 * and so does `npm run lint:deps`.
 *
 *   commands/    the CLI: parses a command line, runs (runner) and shows (reports)
 *   reports/     judging and showing: results files, tables, CSV, HTML, the gate's verdicts
 *   runner/      driving and measuring: trials, isolation, load generator, sweeps, gate sampling
 *   scenarios/   workloads as declarations
 *   engines/     the execution modes, their partition tasks, pools, operators and triggers
 *   primitives/  what every room shares: clock, histograms, timelines, source log, units, results schema
 */
const ROOMS = ['primitives', 'engines', 'scenarios', 'runner', 'reports', 'commands'];

/** A rule per room: it must not import any room above it. */
const upward = ROOMS.slice(0, -1).map((room, i) => ({
  name: `${room}-imports-down-only`,
  comment: `${room}/ sits below ${ROOMS.slice(i + 1).join(', ')}: an import from there would run the layers backwards`,
  severity: 'error',
  from: { path: `^${room}/` },
  to: { path: `^(${ROOMS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'modules that import each other (directly or through others) cannot be read or changed one at a time',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'reports-never-run-engines',
      comment: 'a report judges and shows results; only the runner starts engines, pools and tasks',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^engines/(partition|priority|triggers|operators)/' },
    },
    {
      name: 'production-code-not-from-tests',
      comment: 'code under the rooms must not depend on test code',
      severity: 'error',
      from: { path: `^(${ROOMS.join('|')})/` },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // Type-only imports count: a type from a room above is a dependency on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
