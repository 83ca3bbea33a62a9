/**
 * A configuration against the run's floors (`RunLimits`): its output throughput as a share of
 * the fused single-thread loop × its workers (DESIGN.md §8: "at overload, each mode's output
 * ≥ 50% of (floor × workers)"), and its p50 event-time latency as a multiple of a raw thread
 * hand-off at the same record spacing ("continuous p50 ≤ 2× a raw thread hand-off").
 */
import type { RunLimits } from '../primitives/results-schema.js';
import type { RunSummary } from './summary.js';

/** Output records/s ÷ (fused loop × workers); undefined without a floor for its scenario. */
export function floorShare(summary: Pick<RunSummary, 'scenario' | 'throughputOut' | 'params'>, limits: RunLimits | undefined): number | undefined {
  const fused = limits?.fusedRecordsPerSec[summary.scenario];
  return fused && fused > 0 ? summary.throughputOut / (fused * summary.params.workers) : undefined;
}

/** p50 event-time latency ÷ the hand-off's one-way p50 at its rate; undefined at rates without a hand-off or with no output. */
export function handoffMultiple(summary: Pick<RunSummary, 'offeredRate' | 'latency'>, limits: RunLimits | undefined): number | undefined {
  const handoff = limits?.handoff[String(summary.offeredRate)];
  if (!handoff || handoff.oneWayP50Us <= 0 || summary.latency.eventTime.count === 0) return undefined;
  return summary.latency.eventTime.p50 / handoff.oneWayP50Us;
}

/** A share as a table cell: "37%", or "-" when unknown. */
export function formatShare(share: number | undefined): string {
  if (share === undefined) return '-';
  if (share < 0.001) return '<0.1%';
  return `${share < 0.1 ? (share * 100).toFixed(1) : Math.round(share * 100)}%`;
}

/** A multiple as a table cell: "1.8×", or "-" when unknown. */
export function formatMultiple(multiple: number | undefined): string {
  if (multiple === undefined) return '-';
  return `${multiple < 10 ? multiple.toFixed(1) : multiple < 1000 ? Math.round(multiple) : `${Math.round(multiple / 1000)}k`}×`;
}
