/**
 * The flags of a run through a broker, taken out of `run`'s and `sweep`'s command lines before
 * their own parser sees them (so the run flags stay one list, and every one of them still
 * applies): `--target`, `--sut`, `--generators`, `--external-shares`, `--run-id`,
 * `--keep-streams`, `--kill-sut-at`, `--restart-broker-at`. Each problem is a UsageError naming
 * its flag.
 */
import { parseDurationUs } from '../../primitives/units.js';
import { UsageError } from '../../primitives/usage-error.js';
import { parseTarget, type Target } from './broker.js';

/** Who consumes the input streams. */
export type SutChoice = { kind: 'serve' } | { kind: 'command'; command: string } | { kind: 'none' };

/** Validated broker flags. */
export interface BrokerOptions {
  target: Target;
  /** As given (for results.json). */
  targetText: string;
  sut: SutChoice;
  generators: number;
  /** Shares run elsewhere (`streambench generate --share i/N` on another host): the harness waits for them. */
  externalShares: number[];
  runId: string;
  keepStreams: boolean;
  /** Fault: SIGKILL the system under test this long into the measurement, and start it again. */
  killSutAtSec?: number;
  /** Fault (`--target local`): restart the broker this long into the measurement (AOF keeps what it acknowledged). */
  restartBrokerAtSec?: number;
}

/** The broker flags, their help lines. */
export const BROKER_FLAGS: Record<string, { boolean?: true; help: string }> = {
  target: { help: 'run through Redis Streams: local (a private redis-server on loopback, AOF) or redis://host:port' },
  sut: { help: "with --target: the system under test: omitted = `streambench serve --mode <mode>` per trial; a shell command speaking the stream contract; none = produce and consume only" },
  generators: { help: 'with --target: generator processes sharing the source (record i belongs to share i mod N) [default: 1]' },
  'external-shares': { help: 'with --target: shares run elsewhere (`streambench generate --share i/N`), comma list; the harness starts the others' },
  'run-id': { help: 'with --target: name of the run\'s streams (trial n uses <run-id>-n) [default: sb-<pid>-<unique>]' },
  'keep-streams': { boolean: true, help: 'with --target: leave each trial\'s streams in the broker' },
  'kill-sut-at': { help: 'with --target: SIGKILL the system under test this long into the measurement and start it again' },
  'restart-broker-at': { help: 'with --target local: restart the broker this long into the measurement' },
};

/** Tells default run ids of one process apart. */
let runCounter = 0;

/** Splits `argv` into the broker flags (undefined when there is no `--target`) and the rest. */
export function extractBrokerFlags(argv: readonly string[]): { broker?: BrokerOptions; rest: string[] } {
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const flag = match && BROKER_FLAGS[match[1]];
    if (!match || !flag) {
      rest.push(argv[i]);
      continue;
    }
    if (flag.boolean) values.set(match[1], 'true');
    else if (match[2] !== undefined) values.set(match[1], match[2]);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${match[1]} needs a value (see \`streambench run --help\`)`);
      values.set(match[1], argv[++i]);
    }
  }
  if (!values.has('target')) {
    const stray = [...values.keys()][0];
    if (stray) throw new UsageError(`--${stray} applies to runs through a broker only; add --target local or --target redis://host:port`);
    return { rest };
  }
  return { broker: parseBrokerOptions(values), rest };
}

function parseBrokerOptions(values: Map<string, string>): BrokerOptions {
  const targetText = values.get('target')!;
  const target = parseTarget(targetText);
  const sutText = values.get('sut');
  let sut: SutChoice = { kind: 'serve' };
  if (sutText !== undefined) {
    if (sutText.trim() === '') throw new UsageError(`--sut is empty; give a command (e.g. 'python3 examples/sut/steady_sut.py'), or none`);
    sut = sutText === 'none' ? { kind: 'none' } : { kind: 'command', command: sutText };
  }
  const generatorsText = values.get('generators') ?? '1';
  if (!/^\d+$/.test(generatorsText) || Number(generatorsText) < 1 || Number(generatorsText) > 64) throw new UsageError(`--generators: '${generatorsText}' must be a whole number from 1 to 64`);
  const generators = Number(generatorsText);
  const externalShares = (values.get('external-shares') ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const share = Number(s);
    if (!/^\d+$/.test(s) || share >= generators) throw new UsageError(`--external-shares: '${s}' is not a share of --generators ${generators} (0..${generators - 1})`);
    return share;
  });
  const runId = values.get('run-id') ?? `sb-${process.pid}-${(runCounter++).toString(36)}${Date.now().toString(36).slice(-4)}`;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(runId)) throw new UsageError(`--run-id: '${runId}' must be 1..64 letters, digits, '.', '_' or '-'`);
  const seconds = (flag: string): number | undefined => {
    const text = values.get(flag);
    if (text === undefined) return undefined;
    const us = parseDurationUs(text, 's');
    if (us === undefined || !Number.isFinite(us) || us < 0) throw new UsageError(`--${flag}: '${text}' is not a duration; use e.g. 1s or 500ms`);
    return us / 1e6;
  };
  const killSutAtSec = seconds('kill-sut-at');
  if (killSutAtSec !== undefined && sut.kind === 'none') throw new UsageError('--kill-sut-at: with --sut none the harness starts no system it could kill');
  const restartBrokerAtSec = seconds('restart-broker-at');
  if (restartBrokerAtSec !== undefined && target.kind !== 'local') throw new UsageError('--restart-broker-at: only a broker the run started itself can be restarted; use --target local');
  return {
    target,
    targetText,
    sut,
    generators,
    externalShares,
    runId,
    keepStreams: values.has('keep-streams'),
    ...(killSutAtSec !== undefined ? { killSutAtSec } : {}),
    ...(restartBrokerAtSec !== undefined ? { restartBrokerAtSec } : {}),
  };
}

/** The broker flags' help lines (appended to `run --help`). */
export function brokerHelp(): string {
  const lines = Object.entries(BROKER_FLAGS).map(([name, flag]) => `  ${(flag.boolean ? `--${name}` : `--${name} <v>`).padEnd(24)} ${flag.help}`);
  return ['', 'Through a broker (Redis Streams; README, "Through a broker"):', ...lines].join('\n');
}

/** The broker options as results.json records them. */
export function recordedBrokerOptions(options: BrokerOptions): Record<string, unknown> {
  return {
    target: options.targetText,
    sut: options.sut.kind === 'command' ? options.sut.command : options.sut.kind,
    generators: options.generators,
    ...(options.externalShares.length > 0 ? { externalShares: options.externalShares } : {}),
    runId: options.runId,
    ...(options.killSutAtSec !== undefined ? { killSutAtSec: options.killSutAtSec } : {}),
    ...(options.restartBrokerAtSec !== undefined ? { restartBrokerAtSec: options.restartBrokerAtSec } : {}),
  };
}
