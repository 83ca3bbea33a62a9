/**
 * Partition streams spread over a Redis Cluster: three cluster-enabled /usr/bin/redis-server
 * nodes on loopback ports, joined by `redis-cli --cluster create`, started and stopped by this
 * file. Each partition's hash tag is chosen so that partition p lives on master p mod 3 (its
 * input and output streams on the same node); the run's output equals the in-process run's.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../commands/api.js';
import { startLocalCluster, type LocalCluster } from '../runner/broker/local-redis.js';

const TRIAL = { scenario: 'steady', rate: '1500', warmup: '0.2s', duration: '0.6s', 'drain-timeout': '5s', workers: '3', seed: '5' };

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startLocalCluster(3);
});

afterAll(async () => {
  await cluster?.stop();
});

/** The streams a node holds (SCAN on that node alone). */
function streamsOn(port: number): string[] {
  const out = spawnSync('redis-cli', ['-p', String(port), '--scan', '--pattern', 'streambench:{cl-*'], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).sort();
}

describe('a 3-node Redis Cluster', () => {
  it('spreads the partitions over the masters, one hash tag each, and produces the in-process output', async () => {
    const { results: local } = await run({ ...TRIAL, mode: 'trigger', 'in-process': true });
    const { results, exitCode } = await run({ ...TRIAL, mode: 'trigger', target: cluster.url, 'run-id': 'cl', 'keep-streams': true });
    expect(exitCode).toBe(0);
    const [result] = results.runs;
    expect(result.broker?.cluster).toBe(true);
    expect(result.drained).toBe(true);
    expect(result.outputDigest).toBe(local.runs[0].outputDigest);
    expect(result.broker?.accounting).toMatchObject({ allAcknowledged: true, duplicates: 0 });
    const perNode = cluster.nodes.map((node) => streamsOn(node.port).filter((key) => /:(in|out)$/.test(key)));
    // Each master holds exactly one partition: its input and its output stream, under one tag.
    for (const keys of perNode) {
      expect(keys).toHaveLength(2);
      const tags = new Set(keys.map((key) => /\{(.*)\}/.exec(key)![1]));
      expect(tags.size).toBe(1);
    }
    const partitions = perNode.map((keys) => Number(/\{cl-1\.(\d+)/.exec(keys[0])![1])).sort();
    expect(partitions).toEqual([0, 1, 2]);
  });
});
