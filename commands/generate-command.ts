/**
 * `streambench generate --target redis://host:port --share i/N [--run <id>]`: one generator
 * process of a broker run, on this host or another (README, "Load from many processes"). With
 * `--run` it publishes its share of that trial and exits (what `run --generators N` starts per
 * share); without, its share of every announced trial with N generators, until stopped.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../primitives/usage-error.js';
import { Broker, parseTarget } from '../runner/broker/broker.js';
import { generateAnnounced, generateShare } from '../runner/broker/generate.js';

const HELP = [
  'Usage: streambench generate --target redis://host:port --share i/N [--run <id>]',
  '',
  'Publishes share i of N of a broker run\'s source (record k belongs to share k mod N).',
  '',
  'Options:',
  '  --target <v>             the broker: redis://host:port',
  '  --share <v>              i/N: this generator\'s share (0 ≤ i < N)',
  '  --run <v>                publish this trial and exit (default: every announced trial with N generators)',
  '  --quiet                  no progress lines',
].join('\n');

export async function generateMain(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { target: { type: 'string' }, share: { type: 'string' }, run: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0].replace(/\.$/, '')}. Run \`streambench generate --help\` for the accepted flags.`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.target === undefined) throw new UsageError('--target: generate needs the broker, e.g. --target redis://127.0.0.1:6379');
  const target = parseTarget(values.target);
  if (target.kind !== 'url') throw new UsageError('--target: generate joins a broker someone else runs; give redis://host:port');
  const share = /^(\d+)\/(\d+)$/.exec(values.share ?? '');
  if (!share || Number(share[1]) >= Number(share[2])) throw new UsageError(`--share: '${values.share ?? ''}' must be i/N with 0 ≤ i < N, e.g. 1/2`);
  const broker = await Broker.connect(target.url);
  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
    void broker.close().then(() => process.exit(143));
  });
  try {
    if (values.run !== undefined) await generateShare(broker, values.run, Number(share[1]), Number(share[2]));
    else await generateAnnounced(broker, Number(share[1]), Number(share[2]), () => stopping, values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`));
  } finally {
    await broker.close();
  }
  return 0;
}
