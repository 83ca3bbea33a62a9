/**
 * The pure parts of runs through a broker: reading `--target` and the other broker flags, the
 * stream contract's entry encoding, the tap ring, and joining clocks across hosts (Cristian's
 * estimate, the announced origin) with injected times — no server, no sleeps.
 */
import { describe, expect, it } from 'vitest';
import { OutputTapRing } from '../engines/output-tap.js';
import { parseTarget } from '../runner/broker/broker.js';
import { announceStart, estimateOffset, localOrigin, measureOffset } from '../runner/broker/broker-clock.js';
import { extractBrokerFlags } from '../runner/broker/broker-options.js';
import { prepareBrokerArgv, SUT_MODE } from '../runner/broker/broker-runs.js';
import { modes } from '../engines/index.js';
import { compareIds } from '../runner/broker/bridge-partition.js';
import { decodeEntry, partitionStreams, runKeys, sutEnvironment } from '../runner/broker/contract.js';
import { UsageError } from '../primitives/usage-error.js';

describe('--target', () => {
  it('reads local and redis://host:port', () => {
    expect(parseTarget('local')).toEqual({ kind: 'local' });
    expect(parseTarget('redis://127.0.0.1:6379')).toEqual({ kind: 'url', url: 'redis://127.0.0.1:6379', host: '127.0.0.1', port: 6379 });
    expect(parseTarget('redis://broker.example:7000/')).toMatchObject({ host: 'broker.example', port: 7000 });
  });

  it.each(['', 'redis', 'http://127.0.0.1:6379', 'redis://127.0.0.1', 'redis://127.0.0.1:0', 'redis://127.0.0.1:70000', 'redis://a b:1', 'redis://h:1/extra'])('refuses %j naming --target', (text) => {
    expect(() => parseTarget(text)).toThrow(UsageError);
    expect(() => parseTarget(text)).toThrow(/^--target: /);
  });
});

describe('broker flags', () => {
  it('are taken out of the command line, the rest left for run', () => {
    const { broker, rest } = extractBrokerFlags(['--rate', '1k', '--target', 'local', '--generators=2', '--sut', 'python3 x.py', '--keep-streams', '--mode', 'trigger']);
    expect(rest).toEqual(['--rate', '1k', '--mode', 'trigger']);
    expect(broker).toMatchObject({ target: { kind: 'local' }, generators: 2, sut: { kind: 'command', command: 'python3 x.py' }, keepStreams: true, externalShares: [] });
  });

  it('are absent without --target, and a broker flag alone names what it needs', () => {
    expect(extractBrokerFlags(['--rate', '1k'])).toEqual({ rest: ['--rate', '1k'] });
    expect(() => extractBrokerFlags(['--sut', 'none'])).toThrow(/--sut applies to runs through a broker only; add --target local/);
  });

  it.each([
    [['--target', 'local', '--generators', '0'], /--generators: '0' must be a whole number from 1 to 64/],
    [['--target', 'local', '--generators', '2', '--external-shares', '2'], /--external-shares: '2' is not a share of --generators 2/],
    [['--target', 'local', '--sut', ''], /--sut is empty/],
    [['--target', 'local', '--run-id', 'a b'], /--run-id: 'a b' must be/],
    [['--target', 'local', '--kill-sut-at', 'soon'], /--kill-sut-at: 'soon' is not a duration/],
    [['--target', 'local', '--sut', 'none', '--kill-sut-at', '1s'], /--kill-sut-at: with --sut none/],
    [['--target', 'redis://127.0.0.1:6379', '--restart-broker-at', '1s'], /--restart-broker-at: only a broker the run started itself/],
    [['--target', 'redis:/x'], /--target: 'redis:\/x' is not a broker target/],
  ])('%j', (argv, message) => {
    expect(() => extractBrokerFlags(argv)).toThrow(message);
  });
});

describe('--sut and the sut mode', () => {
  it('labels an external system\'s rows `sut`, refuses --mode beside it, and leaves it out of later default runs', () => {
    expect(prepareBrokerArgv(['--target', 'local', '--sut', 'python3 a.py', '--rate', '1k']).argv).toEqual(['--rate', '1k', '--mode', SUT_MODE]);
    expect(modes.get(SUT_MODE)?.label({ workers: 2 })).toBe('python3 a.py');
    expect(prepareBrokerArgv(['--target', 'local', '--sut', 'none']).argv).toEqual(['--mode', SUT_MODE]);
    expect(modes.get(SUT_MODE)?.label({ workers: 2 })).toBe('none (your own system)');
    expect(() => prepareBrokerArgv(['--target', 'local', '--sut', 'none', '--mode', 'trigger'])).toThrow(/--mode: with --sut none/);
    expect(prepareBrokerArgv(['--rate', '1k']).argv).toEqual(['--rate', '1k', '--mode', 'micro-batch,trigger,continuous']);
    expect(prepareBrokerArgv(['--mode', 'trigger']).argv).toEqual(['--mode', 'trigger']);
  });
});

describe('the stream contract', () => {
  it('names each partition\'s streams under one hash tag, control keys under the run\'s', () => {
    expect(partitionStreams('r-1.0')).toEqual({ input: 'streambench:{r-1.0}:in', output: 'streambench:{r-1.0}:out' });
    const keys = runKeys('r-1', ['r-1.0', 'r-1.1']);
    expect(keys.spec).toBe('streambench:{r-1}:spec');
    expect(sutEnvironment('redis://127.0.0.1:1', keys, 2)).toMatchObject({
      STREAMBENCH_INPUT_STREAMS: 'streambench:{r-1.0}:in,streambench:{r-1.1}:in',
      STREAMBENCH_OUTPUT_STREAMS: 'streambench:{r-1.0}:out,streambench:{r-1.1}:out',
      STREAMBENCH_GROUP: 'streambench',
      STREAMBENCH_GENERATORS: '2',
    });
  });

  it('decodes records (event time kept verbatim), end markers, and refuses what breaks it', () => {
    expect(decodeEntry(['t', '1234.5678', 'k', '7', 'v', '9', 'i', '42'])).toEqual({ kind: 'record', t: 1234.5678, k: 7, v: 9, i: 42, text: '1234.5678' });
    expect(decodeEntry(['t', '5', 'k', '1', 'v', '2'])).toMatchObject({ i: -1 });
    expect(decodeEntry(['end', '300', 'g', '1'])).toEqual({ kind: 'end', count: 300, producer: 1 });
    for (const bad of [['t', 'x', 'k', '1', 'v', '2'], ['t', '1', 'k', '1.5', 'v', '2'], ['k', '1', 'v', '2'], ['end', '-1'], ['t', '', 'k', '1', 'v', '1'], ['hello', 'world']]) {
      expect(decodeEntry(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('orders stream IDs numerically', () => {
    expect(compareIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareIds('5-10', '5-9')).toBeGreaterThan(0);
    expect(compareIds('5-1', '5-1')).toBe(0);
  });
});

describe('the output tap ring', () => {
  it('hands results over in order with their input offsets, per partition', () => {
    const ring = OutputTapRing.create(2, 4);
    const seen: number[][] = [];
    ring.write(1, 10.5, 3, 30, 0);
    ring.write(0, 11, 2, 20, 5);
    ring.write(1, 12, 5, 50, 1);
    expect(ring.drain(1, (t, k, v, at) => seen.push([t, k, v, at]))).toBe(2);
    expect(ring.drain(0, (t, k, v, at) => seen.push([t, k, v, at]))).toBe(1);
    expect(seen).toEqual([[10.5, 3, 30, 0], [12, 5, 50, 1], [11, 2, 20, 5]]);
    expect(ring.drain(0, () => {})).toBe(0);
    expect(ring.sequence).toBe(3);
  });
});

describe('one clock across hosts', () => {
  it('estimates the broker offset from the shortest round trip, its error half of it', () => {
    const offset = estimateOffset([
      { sentUs: 100, brokerUs: 1_000_000_170, receivedUs: 300 }, // 200 µs round trip
      { sentUs: 1000, brokerUs: 1_000_001_030, receivedUs: 1040 }, // 40 µs: the best
      { sentUs: 2000, brokerUs: 1_000_002_500, receivedUs: 2900 },
    ]);
    expect(offset).toEqual({ offsetUs: 1_000_000_010, errorUs: 20 });
  });

  it('measures with an injected clock and broker', async () => {
    let now = 0;
    const time = async (): Promise<[string, string]> => {
      now += 30;
      const broker = 5_000_000_000 + now;
      now += 30;
      return [String(Math.floor(broker / 1e6)), String(broker % 1e6)];
    };
    expect(await measureOffset(time, 5, () => now)).toEqual({ offsetUs: 5_000_000_000, errorUs: 30 });
  });

  it('maps the announced origin: the shared monotonic clock on the same boot, the broker\'s time elsewhere', () => {
    const harness = { offsetUs: 1_000_000, errorUs: 25 };
    const start = announceStart(harness, 500_000, () => 2_000_000, 'boot-a');
    expect(start).toEqual({ originMonotonicUs: 2_500_000, bootId: 'boot-a', originBrokerUs: 3_500_000, errorUs: 25 });
    expect(localOrigin(start, 'boot-a', { offsetUs: 123, errorUs: 99 })).toEqual({ originUs: 2_500_000, via: 'monotonic', errorUs: 0 });
    // Another host whose monotonic clock reads 3_400_000 less than the broker's: the origin is at 100_000 there.
    expect(localOrigin(start, 'boot-b', { offsetUs: 3_400_000, errorUs: 40 })).toEqual({ originUs: 100_000, via: 'broker-time', errorUs: 65 });
  });
});
