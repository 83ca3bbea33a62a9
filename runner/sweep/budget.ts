/**
 * The sweep's time budget: how many probes fit (`--budget 5m` at warm-up + duration + an
 * overhead each), how many each search may take, and progress with an estimate of the time
 * left, on stderr.
 */
import { formatRate } from '../../primitives/units.js';
import { UsageError } from '../../primitives/usage-error.js';

/** Seconds a probe costs beyond warm-up and measurement (child process, pool start, drain). */
export const PROBE_OVERHEAD_SEC = 1.5;

/** The fewest probes a search is given: bracket up, bracket down, confirm. */
export const MIN_PROBES_PER_SEARCH = 3;

/** Expected seconds of one probe. */
export function probeSeconds(warmupSec: number, durationSec: number, overheadSec = PROBE_OVERHEAD_SEC): number {
  return warmupSec + durationSec + overheadSec;
}

/** Probes of `probeSec` each that fit in `budgetSec`. */
export function probesInBudget(budgetSec: number, probeSec: number): number {
  return Math.max(0, Math.floor(budgetSec / probeSec + 1e-9));
}

/**
 * Probes the next search may take: the time left shared equally among the searches left
 * (so what one search leaves unused goes to the next), never fewer than
 * {@link MIN_PROBES_PER_SEARCH}.
 */
export function probesForNextSearch(secondsLeft: number, probeSec: number, searchesLeft: number): number {
  const fair = Math.floor(probesInBudget(secondsLeft, probeSec) / Math.max(1, searchesLeft));
  return Math.max(MIN_PROBES_PER_SEARCH, fair);
}

/** Throws a UsageError when the budget cannot give every search its minimum. */
export function checkBudget(budgetSec: number, probeSec: number, searches: number): void {
  const fit = probesInBudget(budgetSec, probeSec);
  const need = searches * MIN_PROBES_PER_SEARCH;
  if (fit < need) {
    throw new UsageError(
      `--budget: ${budgetSec} s fits ${fit} probes of ~${probeSec.toFixed(1)} s, but ${searches} search${searches === 1 ? '' : 'es'} need${searches === 1 ? 's' : ''} at least ${need}; ` +
        `raise --budget to ${Math.ceil(need * probeSec)}s or more, shorten --duration/--warmup, or sweep fewer modes/settings`,
    );
  }
}

/** "1m05s", "42s". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Progress of a sweep, two lines per probe on stderr (what starts, then its verdict). The
 * time left is the probes still expected times the mean time a probe has actually taken so
 * far (the estimate before the first).
 */
export class SweepProgress {
  private probesDone = 0;
  private readonly startedAt: number;

  constructor(
    /** Expected seconds per probe before any has run. */
    private readonly estimateSec: number,
    private readonly enabled: boolean,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.startedAt = this.now();
  }

  /** Seconds since the sweep started. */
  elapsedSec(): number {
    return this.now() - this.startedAt;
  }

  /** Mean seconds per probe so far (the estimate before the first). */
  secondsPerProbe(): number {
    return this.probesDone > 0 ? this.elapsedSec() / this.probesDone : this.estimateSec;
  }

  /** Estimated seconds left when `probesLeft` probes (the one starting included) remain. */
  secondsLeft(probesLeft: number): number {
    return probesLeft * this.secondsPerProbe();
  }

  /** A probe starts; `probesLeft` estimates it and every probe after it. */
  begin(label: string, rate: number, phase: string, probesLeft: number): void {
    if (!this.enabled) return;
    this.write(`[sweep] ${label} @ ${formatRate(rate)} (${phase}) — probe ${this.probesDone + 1}, ${formatSeconds(this.elapsedSec())} elapsed, ~${formatSeconds(this.secondsLeft(probesLeft))} left`);
  }

  /** A probe ended with this verdict. */
  end(sustainable: boolean, reasons: readonly string[]): void {
    this.probesDone++;
    if (this.enabled) this.write(`        ${sustainable ? 'sustainable' : `not sustainable: ${reasons.join('; ')}`}`);
  }
}
