/** A latency bound for sustainable-throughput search: `--slo p99<50ms`. */
import { parseDurationUs } from '../../primitives/units.js';
import { UsageError } from '../../primitives/usage-error.js';

/** Which event-time percentile an SLO bounds (field names of LatencySummary). */
export type SloPercentile = 'p50' | 'p90' | 'p99' | 'p99_9' | 'max';

/** A parsed SLO. */
export interface Slo {
  percentile: SloPercentile;
  boundUs: number;
  inclusive: boolean;
  text: string;
}

const PERCENTILES: Record<string, SloPercentile> = { p50: 'p50', p90: 'p90', p99: 'p99', 'p99.9': 'p99_9', max: 'max' };

/** Parses `p99<50ms`, `p99.9<=200ms`, `max<1s`; throws a UsageError naming the fix. */
export function parseSlo(text: string): Slo {
  const match = /^\s*(p50|p90|p99\.9|p99|max)\s*(<=|<)\s*(.+?)\s*$/.exec(text);
  if (!match) throw new UsageError(`--slo: '${text}' is not an SLO; use <percentile><bound> like p99<50ms (percentiles: ${Object.keys(PERCENTILES).join(', ')})`);
  const boundUs = parseDurationUs(match[3], 'ms');
  if (boundUs === undefined || boundUs <= 0) throw new UsageError(`--slo: bound '${match[3]}' is not a positive duration; use e.g. 50ms, 1s, 500us`);
  return { percentile: PERCENTILES[match[1]], boundUs, inclusive: match[2] === '<=', text: text.trim() };
}
