/**
 * The DESIGN.md §8 targets `bench:micro` checks, as ratios of rows measured in one run:
 * the batch task against the fused floor, the continuous task against the floor plus one
 * clock read and one commit per record, the instrumentation (latency recording) as the
 * share of throughput it costs, and the load generator's ns per record at 20M records/s.
 * Pure: rows in, lines out.
 */

/** Median ns per record by row name. */
export type RowTimes = Readonly<Record<string, number>>;

/** One target: what it compares, the measured ratio, the bound, and whether it is met. */
export interface TargetCheck {
  target: string;
  measured: number;
  bound: number;
  met: boolean;
  /** How the measured figure is made, in words with the numbers. */
  detail: string;
  /** 'ns': measured and bound are nanoseconds per record (else a ratio, or a share below 1). */
  unit?: 'ns';
}

const at = (rows: RowTimes, name: string): number => rows[name] ?? NaN;

/** The checks, from a run's rows (names as `micro-bench-rows.ts` defines them). */
export function checkTargets(rows: RowTimes): TargetCheck[] {
  const floor = at(rows, 'fused map+filter+count loop');
  const batch = at(rows, 'batch partition task (codegen)');
  const batchBare = at(rows, 'batch partition task (codegen, no latency recording)');
  const continuous = at(rows, 'continuous partition task (codegen)');
  const continuousBare = at(rows, 'continuous partition task (codegen, no latency recording)');
  const clock = at(rows, 'clock read (SystemClock.now)');
  const commit = at(rows, 'commit (Atomics.store)');
  const generator = at(rows, 'load generator append');
  const budget = floor + clock + commit;
  const share = (withRecording: number, without: number): number => 1 - without / withRecording;
  const fixed = (ns: number): string => ns.toFixed(1);
  return [
    { target: 'batch task ≤ 2× the fused floor', measured: batch / floor, bound: 2, met: batch / floor <= 2, detail: `${fixed(batch)} ÷ ${fixed(floor)} ns` },
    {
      target: 'continuous task ≤ floor + one clock read + one commit',
      measured: continuous / budget,
      bound: 1,
      met: continuous <= budget,
      detail: `${fixed(continuous)} ÷ (${fixed(floor)} + ${fixed(clock)} + ${fixed(commit)} = ${fixed(budget)}) ns`,
    },
    ...(
      [
        ['batch', batch, batchBare],
        ['continuous', continuous, continuousBare],
      ] as const
    ).map(([kind, withRecording, without]) => ({
      target: `instrumentation ≤ 5% of throughput (${kind})`,
      measured: share(withRecording, without),
      bound: 0.05,
      met: share(withRecording, without) <= 0.05,
      detail: `1 − ${fixed(without)} ÷ ${fixed(withRecording)} ns`,
    })),
    { target: 'generator ≤ 5 ns per record at 20M records/s', measured: generator, bound: 5, met: generator <= 5, detail: `'load generator append', published every 100 µs`, unit: 'ns' },
  ];
}

/** The checks as lines for the terminal. */
export function formatTargets(checks: readonly TargetCheck[]): string[] {
  return checks.map((check) => {
    const value = check.unit === 'ns' ? `${check.measured.toFixed(1)} ns (bound ${check.bound} ns)` : check.bound < 1 ? `${(check.measured * 100).toFixed(1)}% (bound ${(check.bound * 100).toFixed(0)}%)` : `${check.measured.toFixed(2)}× (bound ${check.bound}×)`;
    return `${check.met ? 'met    ' : 'missed '} ${check.target}: ${value} — ${check.detail}`;
  });
}
