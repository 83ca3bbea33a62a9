/**
 * Sustainable-throughput search: geometric bracketing (×`growth` up from a start rate while
 * sustainable, ÷`growth` down while not), then bisection on the geometric mean until the
 * bracket is within `precision`, then a confirmation run at the rate found; if that fails, the
 * search steps down and confirms again. A failure the probe marks `suspect` (the machine, not
 * the engine, looked at fault) is re-probed once before the search believes it. The answer is
 * always a rate that was actually probed sustainable (or 0). Probes are injected, so the logic
 * is tested without engines.
 */

/** What a probe at one rate says. */
export interface ProbeOutcome {
  sustainable: boolean;
  reasons: string[];
  /** A failure that may be the machine's (e.g. the load generator itself was late): worth one re-probe. */
  suspect?: boolean;
}

/** One probe made by the search. */
export interface Probe extends ProbeOutcome {
  rate: number;
  phase: 'bracket' | 'bisect' | 'recheck' | 'confirm';
}

/** Where the search starts and stops. */
export interface SearchOptions {
  startRate: number;
  minRate: number;
  maxRate: number;
  /** Stop bisecting when hi/lo ≤ 1 + precision. */
  precision: number;
  /** Hard limit on probes (the time budget). */
  maxProbes: number;
  /** Bracketing step factor (default 4: fewer probes to bracket, one more to bisect). */
  growth?: number;
}

/** The search's answer. */
export interface SearchResult {
  /** Highest rate probed sustainable (and confirmed, if `confirmed`); 0 if none. */
  sustainableRate: number;
  /** Lowest rate found unsustainable (Infinity if none was). */
  unsustainableRate: number;
  confirmed: boolean;
  probes: Probe[];
}

/** Default bracketing step factor. */
export const DEFAULT_GROWTH = 4;

/**
 * Finds the highest sustainable rate. `probe` runs one trial at `rate` and judges it; the
 * search stops bisecting one probe early when the budget runs short, so a bracket found is
 * always confirmed.
 */
export async function findSustainableRate(probe: (rate: number, phase: Probe['phase']) => Promise<ProbeOutcome>, options: SearchOptions): Promise<SearchResult> {
  const probes: Probe[] = [];
  const growth = options.growth ?? DEFAULT_GROWTH;
  const budgetLeft = (reserve = 0): boolean => probes.length < options.maxProbes - reserve;
  /** Probes `rate`; a suspect failure is probed again (budget permitting) and the re-probe decides. */
  const run = async (rate: number, phase: Probe['phase'], reserve = 0): Promise<boolean> => {
    let outcome = await probe(rate, phase);
    probes.push({ rate, phase, ...outcome });
    if (!outcome.sustainable && outcome.suspect && budgetLeft(reserve)) {
      outcome = await probe(rate, 'recheck');
      probes.push({ rate, phase: 'recheck', ...outcome });
    }
    return outcome.sustainable;
  };

  let lo = 0;
  let hi = Infinity;
  let rate = options.startRate;
  while (budgetLeft()) {
    if (await run(rate, 'bracket')) {
      lo = rate;
      if (rate >= options.maxRate || hi !== Infinity) break;
      rate = Math.min(options.maxRate, rate * growth);
    } else {
      hi = rate;
      if (lo > 0 || rate <= options.minRate) break;
      rate = Math.max(options.minRate, rate / growth);
    }
  }
  while (lo > 0 && hi !== Infinity && hi / lo > 1 + options.precision && budgetLeft(1)) {
    const mid = Math.sqrt(lo * hi);
    if (await run(mid, 'bisect', 1)) lo = mid;
    else hi = mid;
  }
  let confirmed = false;
  while (lo > 0 && budgetLeft()) {
    if (await run(lo, 'confirm')) {
      confirmed = true;
      break;
    }
    hi = lo;
    lo = lo * (1 - options.precision);
    if (lo < options.minRate) {
      lo = 0;
      break;
    }
  }
  if (!confirmed) lo = highestProbedSustainableBelow(probes, hi);
  return { sustainableRate: lo, unsustainableRate: hi, confirmed, probes };
}

/**
 * The highest rate below `hi` whose last probe was sustainable (0 if none): what an
 * unconfirmed search reports, so the answer always has a measured latency behind it.
 */
function highestProbedSustainableBelow(probes: readonly Probe[], hi: number): number {
  const last = new Map<number, boolean>();
  for (const p of probes) last.set(p.rate, p.sustainable);
  let best = 0;
  for (const [rate, sustainable] of last) if (sustainable && rate < hi && rate > best) best = rate;
  return best;
}
