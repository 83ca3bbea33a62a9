/**
 * `streambench serve --mode <mode> --target redis://host:port [--run <id>] [mode settings]`:
 * runs a mode (built-in, or a plugin `--mode ./m.js`) as its own process behind the broker. With
 * `--run` it serves that trial and exits (what `run --target` starts per trial); without, it
 * serves every trial the harness announces until stopped (for `run --sut none`). Mode settings
 * (`--interval 50ms`, …) apply when the trial was planned for another system.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../primitives/usage-error.js';
import { Broker, parseTarget } from '../runner/broker/broker.js';
import { serveAnnounced, serveRun } from '../runner/broker/serve.js';
import { loadModePluginsIn } from '../runner/mode-plugins.js';
import { paramsFor } from '../runner/plan-trials.js';
import { parseRunOptions } from '../runner/run-options.js';

const HELP = [
  'Usage: streambench serve --mode <mode> --target redis://host:port [--run <id>] [options]',
  '',
  'Runs one mode as a system under test behind Redis Streams (README, "Through a broker").',
  '',
  'Options:',
  '  --mode <v>               the mode: a built-in id or a plugin module (./my-mode.js)',
  '  --target <v>             the broker: redis://host:port',
  '  --run <v>                serve this trial and exit (default: every announced trial, until stopped)',
  '  --consumer <v>           consumer name in the group [default: serve-<pid>]',
  '  --quiet                  no progress lines',
  '  (and the mode\'s settings, as `streambench run --help` lists them)',
].join('\n');

export async function serveMain(argv: string[]): Promise<number> {
  const resolved = await loadModePluginsIn(argv);
  const { values, tokens } = parseArgs({
    args: resolved,
    options: { target: { type: 'string' }, run: { type: 'string' }, consumer: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' }, mode: { type: 'string' } },
    strict: false,
    tokens: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const mode = typeof values.mode === 'string' ? values.mode : undefined;
  if (!mode || mode.includes(',')) throw new UsageError('--mode: serve runs one mode, e.g. --mode continuous or --mode ./my-mode.js');
  if (typeof values.target !== 'string') throw new UsageError('--target: serve needs the broker, e.g. --target redis://127.0.0.1:6379');
  const target = parseTarget(values.target);
  if (target.kind !== 'url') throw new UsageError("--target: serve joins a broker someone else runs; give redis://host:port (`run --target local` starts its own and serve with it)");
  const own = new Set(['target', 'run', 'consumer', 'quiet', 'help']);
  const rest: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || own.has(token.name)) continue;
    rest.push(`--${token.name}`);
    if (token.value !== undefined) rest.push(token.value);
  }
  const options = parseRunOptions(rest);
  if (options === 'help') return 0;
  const params = paramsFor(mode, options);
  const broker = await Broker.connect(target.url);
  const log = values.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  const settings = { mode, params, ...(typeof values.consumer === 'string' ? { consumer: values.consumer } : {}), ...(log ? { log } : {}) };
  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
    void broker.close().then(() => process.exit(143));
  });
  try {
    if (typeof values.run === 'string') await serveRun(broker, values.run, settings);
    else await serveAnnounced(broker, settings, () => stopping);
  } finally {
    await broker.close();
  }
  return 0;
}
