/**
 * The scenarios room's entry: the in-memory {@link Scenario} type and where scenarios come
 * from (built-in workload files listed from `scenarios/builtin/`, a user's by path).
 */
export type { Scenario } from './scenario.js';
export { BUILTIN_DIR, builtinScenarios, findScenario, isWorkloadPath, WORKLOAD_SCHEMA_FILE } from './catalog.js';
export { loadWorkloadFile, parseWorkload, readWorkloadFile, WORKLOAD_EXTENSIONS, WorkloadError } from './workload-file.js';
