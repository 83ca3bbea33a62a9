import { createContinuousEngine } from './continuous.js';
import type { EngineFactory } from './engine.js';
import { createMicroBatchEngine } from './micro-batch.js';
import { createTriggerEngine } from './trigger.js';

export type { Engine, EngineContext, EngineFactory, EngineReport } from './engine.js';

/** The execution modes by id. */
export const engines: ReadonlyMap<string, EngineFactory> = new Map([
  ['micro-batch', createMicroBatchEngine],
  ['trigger', createTriggerEngine],
  ['continuous', createContinuousEngine],
]);
