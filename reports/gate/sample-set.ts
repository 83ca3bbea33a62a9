/**
 * What the gate judges: per-trial values of each metric, and the machine calibration measured
 * with them; and the {@link Sampler} that measures them (injected, so the gate's logic is
 * tested without running engines).
 */
import type { RoundCalibration } from '../../runner/gate-sampler.js';
import type { GateMetric } from './metrics.js';

export type { RoundCalibration };

/** The machine calibration of a measurement. */
export interface Calibration {
  /** Iterations of the CPU-cost loop per µs (tinybench, once per invocation). */
  cpuIterationsPerUs: number;
  rounds: RoundCalibration[];
}

/** Per-trial values of each metric (by name) and the calibration measured with them. */
export interface SampleSet {
  samples: Record<string, number[]>;
  /** Per sample (same order), the cores' worth of CPU other processes used during its trials; absent where unmeasured. */
  contention?: Record<string, number[]>;
  calibration: Calibration;
}

/** Why a measurement is taken. */
export type Phase = 'baseline' | 'measure' | 'confirm';

/** Measures `trials` rounds of the runs `metrics` need; one value per metric per round. */
export type Sampler = (metrics: readonly GateMetric[], trials: number, phase: Phase) => Promise<SampleSet>;
