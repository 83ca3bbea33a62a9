/**
 * The library API: `import { run, sweep, gate, report, defineScenario, defineMode } from
 * 'streambench'`. Every function returns the same typed objects `results.json` holds; the
 * CLI (`commands/cli.ts`) is a thin layer over them. Writing a mode of one's own takes
 * `defineMode` and, for an engine that does not use the built-in partition tasks,
 * `openPartitions` / `waitForInput` (the source log and the measuring sink of each partition).
 */
export { defineMode, type ModeCadence, type ModeDescriptor, type ModeSetting, type ScenarioFeature, type SettingKind } from '../engines/mode.js';
export { openPartitions, waitForInput, type CustomPartition, type RecordQueryHandle, type RecordReader } from '../engines/custom-partition.js';
export { allCommitted, pollUntil, type Engine, type EngineContext, type EngineFactory, type EngineReport } from '../engines/engine.js';
export { burn } from '../engines/operators/cpu-cost.js';
export type { OperatorSpec } from '../engines/operators/pipeline.js';
export type { PartitionTaskOutput } from '../engines/partition/task-messages.js';
export { modes } from '../engines/index.js';
export type { BranchFigures, DigestCheck, Environment, ResultsFile, RunParams, RunResult, SpillRunFigures, SweepPoint, SweepResult } from '../primitives/results-schema.js';
export type { Clock } from '../primitives/clock.js';
export type { Scenario } from '../scenarios/index.js';
export { defineScenario, gate, report, run, sweep, toArgv, UsageError, type Flags, type GateResult, type Measured } from './api.js';
