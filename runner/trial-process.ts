/**
 * Entry of the child process that runs one trial in isolation: it receives the
 * {@link TrialSpec} over IPC, runs it, sends back the result (or the error) and progress.
 */
import type { RunResult } from '../primitives/results-schema.js';
import { loadModePlugin } from './mode-plugins.js';
import { runTrial, type TrialProgress } from './run-trial.js';
import type { TrialSpec } from './trial-spec.js';

/** Messages from the child to its parent. */
export type TrialMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'result'; result: RunResult }
  | { type: 'error'; message: string };

process.once('message', (spec: TrialSpec) => {
  const send = (message: TrialMessage): Promise<void> => new Promise((resolve) => process.send?.(message, () => resolve()));
  const ready = spec.modeModule ? loadModePlugin(spec.modeModule) : Promise.resolve('');
  ready
    .then(() => runTrial(spec, (progress) => void send({ type: 'progress', progress })))
    .then((result) => send({ type: 'result', result }))
    .catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
    .finally(() => process.exit(0));
});
