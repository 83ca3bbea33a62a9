/**
 * Runs the fused reference loop (`reference-fused.ts`) in a thread of its own, so its JIT
 * state is fresh and only ever sees one scenario's pipeline, as an engine's workers do. It is
 * given a built-in scenario's name, or the scenario itself (one read from a workload file).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { builtinScenarios, type Scenario } from '../scenarios/index.js';
import { measureFusedRate } from './reference-fused.js';

const { scenario, cpuIterationsPerUs, timeMs } = workerData as { scenario: string | Scenario; cpuIterationsPerUs: number; timeMs: number };
const found = typeof scenario === 'string' ? builtinScenarios().get(scenario) : scenario;
if (!found) throw new Error(`unknown scenario '${String(scenario)}'`);
parentPort?.postMessage(measureFusedRate(found, cpuIterationsPerUs, timeMs));
