/**
 * Sustainable-throughput search: geometric bracketing (×2 up from a start rate while
 * sustainable, ÷2 down while not), then bisection on the geometric mean until the bracket
 * is within `precision`, then a confirmation run at the rate found; if that fails, the search
 * steps down and confirms again. Probes are injected, so the logic is tested without engines.
 */

/** What a probe at one rate says. */
export interface ProbeOutcome {
  sustainable: boolean;
  reasons: string[];
}

/** One probe made by the search. */
export interface Probe extends ProbeOutcome {
  rate: number;
  phase: 'bracket' | 'bisect' | 'confirm';
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
}

/** The search's answer. */
export interface SearchResult {
  /** Highest rate found sustainable and confirmed; 0 if none. */
  sustainableRate: number;
  /** Lowest rate found unsustainable (Infinity if none was). */
  unsustainableRate: number;
  confirmed: boolean;
  probes: Probe[];
}

/**
 * Finds the highest sustainable rate. `probe` runs one trial at `rate` and judges it; the
 * search stops bisecting one probe early when the budget runs short, so a bracket found is
 * always confirmed.
 */
export async function findSustainableRate(probe: (rate: number, phase: Probe['phase']) => Promise<ProbeOutcome>, options: SearchOptions): Promise<SearchResult> {
  const probes: Probe[] = [];
  const run = async (rate: number, phase: Probe['phase']): Promise<boolean> => {
    const outcome = await probe(rate, phase);
    probes.push({ rate, phase, ...outcome });
    return outcome.sustainable;
  };
  const budgetLeft = (): boolean => probes.length < options.maxProbes;

  let lo = 0;
  let hi = Infinity;
  let rate = options.startRate;
  while (budgetLeft()) {
    if (await run(rate, 'bracket')) {
      lo = rate;
      if (rate >= options.maxRate || hi !== Infinity) break;
      rate = Math.min(options.maxRate, rate * 2);
    } else {
      hi = rate;
      if (lo > 0 || rate <= options.minRate) break;
      rate = Math.max(options.minRate, rate / 2);
    }
  }
  while (lo > 0 && hi !== Infinity && hi / lo > 1 + options.precision && probes.length < options.maxProbes - 1) {
    const mid = Math.sqrt(lo * hi);
    if (await run(mid, 'bisect')) lo = mid;
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
  return { sustainableRate: lo, unsustainableRate: hi, confirmed, probes };
}
