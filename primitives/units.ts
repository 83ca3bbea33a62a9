/**
 * Human units, both ways. Parsing what the CLI accepts: durations ("100ms", "2s", "1.5m",
 * "250us") and rates ("1000", "5k", "2.5M"); each parser returns `undefined` for malformed
 * input and the caller reports it with the flag's name. Formatting for tables and messages:
 * latencies (µs / ms / s / min), rates (records/s with k / M / G) and counts.
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

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/** Bytes in a size like "64MB" or "512KiB" (binary units: 1 MB = 1 MiB = 2^20 bytes); undefined when malformed. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = match ? BYTE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

/** Rounds to 3 significant digits and drops trailing zeros: 2.50 → "2.5", 1000 → "1000". */
function threeSignificant(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** Rounds to 3 significant digits and keeps trailing zeros: 1.2 → "1.20", 51.23 → "51.2". */
function threeSignificantFixed(value: number): string {
  const rounded = Number(value.toPrecision(3));
  const magnitude = rounded === 0 ? 0 : Math.floor(Math.log10(Math.abs(rounded)));
  return rounded.toFixed(Math.max(0, 2 - magnitude));
}

/**
 * A latency in microseconds with a readable unit: "412µs", "51.2ms", "1.20s", "2.50min".
 * Below 1 ms the value is a whole number of µs; above it, 3 significant digits. A value
 * that rounds up to the next unit is shown in that unit (999.7 ms → "1.00s").
 * NaN and infinities give "n/a".
 */
export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return 'n/a';
  if (us < 0) return `-${formatMicros(-us)}`;
  if (Math.round(us) < 1000) return `${Math.round(us)}µs`;
  const ms = Number((us / 1e3).toPrecision(3));
  if (ms < 1000) return `${threeSignificantFixed(ms)}ms`;
  const seconds = Number((us / 1e6).toPrecision(3));
  if (seconds < 60) return `${threeSignificantFixed(seconds)}s`;
  return `${threeSignificantFixed(us / 60e6)}min`;
}

/**
 * A count with a metric suffix and up to 3 significant digits, trailing zeros dropped:
 * 950 → "950", 1000 → "1k", 12_345 → "12.3k", 2_500_000 → "2.5M".
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 0) return `-${formatCount(-value)}`;
  const suffixes = ['', 'k', 'M'];
  for (const [power, suffix] of suffixes.entries()) {
    const scaled = Number((value / 1000 ** power).toPrecision(3));
    if (scaled < 1000) return `${threeSignificant(scaled)}${suffix}`;
  }
  return `${threeSignificant(value / 1e9)}G`;
}

/** A rate in records per second: "500/s", "1k/s", "2.5M/s". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return 'n/a';
  return `${formatCount(perSec)}/s`;
}

/** A duration given in milliseconds, as the shortest readable form: 0 → "0ms", 100 → "100ms", 1500 → "1.5s". */
export function formatMillis(ms: number): string {
  return ms >= 1000 ? `${threeSignificant(ms / 1000)}s` : `${threeSignificant(ms)}ms`;
}
