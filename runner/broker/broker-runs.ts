/**
 * The hooks by which `run` and `sweep` go through a broker: {@link prepareBrokerArgv} takes the
 * broker flags out of a command line (registering the `sut` mode for `--sut <command>|none`),
 * {@link checkBrokerRun} refuses what cannot run through a broker, and {@link withTrialRunner}
 * hands the command the function that runs one trial — in a child process as always, or
 * through the broker's session (started before the first trial, stopped after the last, also on
 * failure).
 */
import { defineMode, type ModeDescriptor } from '../../engines/mode.js';
import { modes } from '../../engines/index.js';
import type { RunResult } from '../../primitives/results-schema.js';
import { UsageError } from '../../primitives/usage-error.js';
import { scenarioOf } from '../scenario-options.js';
import type { RunOptions } from '../run-options.js';
import { runIsolated } from '../run-isolated.js';
import type { TrialProgress } from '../run-trial.js';
import type { TrialSpec } from '../trial-spec.js';
import { extractBrokerFlags, type BrokerOptions } from './broker-options.js';
import { BrokerSession } from './broker-trial.js';

/** Runs one trial. */
export type TrialRunner = (spec: TrialSpec, onProgress?: (progress: TrialProgress) => void) => Promise<RunResult>;

/** The mode id of an external system under test (`--sut <command>` or `--sut none`). */
export const SUT_MODE = 'sut';

/** The broker flags of `argv` and the command line left for the command's own parser. */
export function prepareBrokerArgv(argv: readonly string[]): { broker?: BrokerOptions; argv: string[] } {
  const { broker, rest } = extractBrokerFlags(argv);
  const modeGiven = rest.some((arg) => arg === '--mode' || arg.startsWith('--mode='));
  if (!broker || broker.sut.kind === 'serve') {
    // A library process that ran with --sut has the `sut` mode registered: later runs' default mode list leaves it out.
    if (!modeGiven && modes.has(SUT_MODE)) rest.push('--mode', modes.all().filter((m) => m.id !== SUT_MODE).map((m) => m.id).join(','));
    return { ...(broker ? { broker } : {}), argv: rest };
  }
  if (modeGiven) {
    throw new UsageError(`--mode: with --sut ${broker.sut.kind === 'none' ? 'none' : "'<command>'"} the system under test is not one of streambench's modes; drop --mode (its rows are labelled '${SUT_MODE}')`);
  }
  sutLabel = broker.sut.kind === 'command' ? broker.sut.command : 'none (your own system)';
  if (!modes.has(SUT_MODE)) modes.register(sutMode());
  return { broker, argv: [...rest, '--mode', SUT_MODE] };
}

/** What the `sut` rows show: the latest --sut of this process. */
let sutLabel = '';

/** A descriptor standing for a system outside streambench: it labels rows; it has no engine. */
function sutMode(): ModeDescriptor {
  return defineMode({
    id: SUT_MODE,
    summary: 'a system under test behind the broker (--sut)',
    order: 50,
    cadence: 'per-record',
    delivery: 'at-least-once',
    settings: [],
    knobs: {},
    label: () => (sutLabel.length > 32 ? `${sutLabel.slice(0, 31)}…` : sutLabel),
    create: () => {
      throw new Error(`mode '${SUT_MODE}' is a system behind the broker (--sut); it runs with --target only`);
    },
  });
}

/** Refuses, with a UsageError naming the flag, what a broker run cannot do. */
export function checkBrokerRun(options: RunOptions, broker: BrokerOptions | undefined): void {
  if (!broker) {
    if (options.modes.includes(SUT_MODE)) throw new UsageError(`--mode ${SUT_MODE}: that is the system of --sut; it runs with --target only`);
    return;
  }
  for (const name of options.scenarios) {
    if (scenarioOf(name, options.workloads).records) throw new UsageError(`--target: scenario '${name}' has records with a schema (source '${scenarioOf(name, options.workloads).records?.source}'), whose fields live in shared memory beside an in-process log; run it without --target`);
    if (scenarioOf(name, options.workloads).fault) throw new UsageError(`--target: scenario '${name}' kills a worker thread of an in-process engine; through a broker inject faults with --kill-sut-at or --restart-broker-at`);
  }
  if (options.priorityLanes?.includes(true)) throw new UsageError('--priority-lane on: the lane runs inside in-process partition tasks; through a broker use --priority-lane off');
  const tooMany = broker.generators > 1 && broker.externalShares.length >= broker.generators;
  if (tooMany && broker.sut.kind === 'none') process.stderr.write('streambench: every generator and the system under test run elsewhere; this run only announces, times and measures\n');
}

/** Calls `body` with the trial runner: isolated child processes, or the broker session of `broker`. */
export async function withTrialRunner<T>(inProcess: boolean, broker: BrokerOptions | undefined, body: (runTrial: TrialRunner) => Promise<T>): Promise<T> {
  if (!broker) return body((spec, onProgress) => runIsolated(spec, inProcess, onProgress));
  const session = await BrokerSession.open(broker);
  try {
    return await body((spec, onProgress) => session.runTrial(spec, onProgress));
  } finally {
    await session.close();
  }
}
