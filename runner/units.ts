/**
 * Parsing of the human units the CLI accepts: durations ("100ms", "2s", "1.5m", "250us")
 * and rates ("1000", "5k", "2.5M"). Each parser returns `undefined` for malformed input;
 * the caller reports it with the flag's name.
 */

const DURATION_UNITS_US: Record<string, number> = { us: 1, µs: 1, ms: 1e3, s: 1e6, m: 60e6 };

/** Microseconds in a duration like "100ms"; a bare number is read in `defaultUnit`. */
export function parseDurationUs(text: string, defaultUnit: keyof typeof DURATION_UNITS_US): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * DURATION_UNITS_US[match[2] ?? defaultUnit];
}

const RATE_SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 };

/** Records per second in a rate like "5k" or "2.5M" (an optional "/s" is allowed). */
export function parseRate(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)(?:\/s)?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * RATE_SUFFIX[match[2]];
}
