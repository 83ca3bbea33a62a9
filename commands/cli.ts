#!/usr/bin/env node
/**
 * The `streambench` command line. Bad input exits 2 with one message and no stack trace;
 * an unexpected failure exits 1 with its message.
 */
import { runCommand } from './run-command.js';
import { parseSweepOptions, sweepCommand, sweepHelp } from './sweep-command.js';
import { parseRunOptions, runHelp } from '../runner/run-options.js';
import { UsageError } from '../primitives/usage-error.js';
import { loadModePluginsIn } from '../runner/mode-plugins.js';
import { prepareBrokerArgv } from '../runner/broker/broker-runs.js';
import { brokerHelp, type BrokerOptions } from '../runner/broker/broker-options.js';

/**
 * A command that may run through a broker (`--target`, taken out first) and whose options may
 * name plugin modes (loaded before parsing): prints its help, or runs it.
 */
function withPlugins<O>(parse: (argv: string[]) => O | 'help', help: () => string, command: (options: O, broker: BrokerOptions | undefined) => Promise<number>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const { broker, argv: rest } = prepareBrokerArgv(argv);
    const options = parse(await loadModePluginsIn(rest));
    if (options !== 'help') return command(options, broker);
    process.stdout.write(`${help()}\n${brokerHelp()}\n`);
    return 0;
  };
}

const COMMANDS: Record<string, { summary: string; main: (argv: string[]) => Promise<number> }> = {
  run: {
    summary: 'run scenarios under execution modes; print the table, write results.json and CSV',
    main: withPlugins(parseRunOptions, runHelp, runCommand),
  },
  sweep: {
    summary: 'find each mode\'s sustainable throughput and the latency–throughput frontier',
    main: withPlugins(parseSweepOptions, sweepHelp, sweepCommand),
  },
  serve: {
    summary: 'run one mode as a system under test behind a Redis Streams broker',
    main: async (argv) => (await import('./serve-command.js')).serveMain(argv),
  },
  generate: {
    summary: 'publish one share of a broker run\'s source (a generator on this host or another)',
    main: async (argv) => (await import('./generate-command.js')).generateMain(argv),
  },
  gate: {
    summary: 'CI performance gate: compare a short suite\'s ratio metrics with a baseline (exit 1 on a confirmed regression)',
    main: async (argv) => (await import('./gate-command.js')).gateMain(argv),
  },
  report: {
    summary: 'write a self-contained HTML report (index.html) for one or more results.json files',
    main: async (argv) => (await import('../reports/html/report-command.js')).reportMain(argv),
  },
  scenarios: {
    summary: 'list the built-in scenarios; validate and show workload files (--scenario ./my.yaml)',
    main: async (argv) => (await import('./scenarios-command.js')).scenariosMain(argv),
  },
};

function mainHelp(): string {
  const commands = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return ['Usage: streambench <command> [options]', '', 'Commands:', ...commands, '', 'Run `streambench <command> --help` for its options.'].join('\n');
}

/** A `serve` or `generate` the harness started: it goes when the harness goes (its stdin closes). */
function exitWithParent(): void {
  if (process.env.STREAMBENCH_EXIT_WITH_PARENT !== '1') return;
  process.stdin.on('end', () => process.exit(1));
  process.stdin.on('error', () => process.exit(1));
  process.stdin.resume();
}

async function main(argv: string[]): Promise<number> {
  exitWithParent();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${mainHelp()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}'; accepted: ${Object.keys(COMMANDS).join(', ')} (see \`streambench --help\`)`);
  return command.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      // One line per problem (a workload file may have several), each prefixed.
      for (const line of error.message.split('\n')) process.stderr.write(`streambench: ${line}\n`);
      process.exit(2);
    }
    process.stderr.write(`streambench: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.STREAMBENCH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
