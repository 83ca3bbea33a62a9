/**
 * The registry of execution modes. A mode is one {@link ModeDescriptor} exported from its own
 * file; adding one is a new file and a line here (or `modes.register()` at run time).
 */
import { continuousMode } from './continuous.js';
import { ModeRegistry } from './mode.js';
import { microBatchMode } from './micro-batch.js';
import { triggerMode } from './trigger.js';

export type { Engine, EngineContext, EngineFactory, EngineReport } from './engine.js';
export type { ModeCadence, ModeDescriptor, ModeSetting, ScenarioFeature, SettingKind } from './mode.js';

/** The modes a run can use: the built-in ones, and any registered since. */
export const modes = new ModeRegistry([microBatchMode, triggerMode, continuousMode]);
