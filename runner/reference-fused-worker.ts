/**
 * Runs the fused reference loop (`reference-fused.ts`) in a thread of its own, so its JIT
 * state is fresh and only ever sees one scenario's pipeline, as an engine's workers do.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scenarios } from '../scenarios/index.js';
import { measureFusedRate } from './reference-fused.js';

const { scenario, cpuIterationsPerUs, timeMs } = workerData as { scenario: string; cpuIterationsPerUs: number; timeMs: number };
const found = scenarios.get(scenario);
if (!found) throw new Error(`unknown scenario '${scenario}'`);
parentPort?.postMessage(measureFusedRate(found, cpuIterationsPerUs, timeMs));
