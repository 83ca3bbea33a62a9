/**
 * Faults over a real broker (a private /usr/bin/redis-server per run, started by the run with
 * `--target local`): the `serve` process is SIGKILLed mid-run and started again — the entries it
 * had been delivered are claimed and processed again, its keyed state is rebuilt by replaying
 * the acknowledged prefix, every input entry ends up acknowledged and the output equals the
 * fault-free run's; and the broker itself is restarted mid-run (AOF) — nothing it acknowledged
 * is lost, and the output again equals the fault-free run's (re-sent commands may deliver a
 * result twice: counted, kept out of the digest).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../commands/api.js';

/** 2000 records/s for 0.3 s of warm-up and 1.2 s measured: the fault lands 0.4 s in. */
const TRIAL = { scenario: 'steady', rate: '2k', warmup: '0.3s', duration: '1.2s', 'drain-timeout': '8s', workers: '2', seed: '11' };

let reference: string;

beforeAll(async () => {
  const { results } = await run({ ...TRIAL, mode: 'micro-batch', 'in-process': true });
  reference = results.runs[0].outputDigest;
});

describe('faults over the broker', () => {
  it('serve killed mid-run and restarted: pending entries re-delivered, state replayed, every offset accounted for', async () => {
    const { results, exitCode } = await run({ ...TRIAL, mode: 'micro-batch', interval: '100ms', target: 'local', 'kill-sut-at': '0.4s' });
    expect(exitCode).toBe(0);
    const [result] = results.runs;
    const broker = result.broker!;
    expect(broker.faults).toHaveLength(1);
    const [fault] = broker.faults!;
    expect(fault.kind).toBe('kill-sut');
    expect(fault.atUs).toBeGreaterThan(0.3e6 + 0.4e6);
    expect(fault.outputResumedUs).toBeGreaterThan(fault.restartedUs);
    // A micro-batch of 100 ms had been delivered and not committed when serve died: claimed again.
    expect(broker.accounting.redelivered).toBeGreaterThan(0);
    expect(broker.accounting.replayed).toBeGreaterThan(0);
    // Results and acknowledgements commit together, so nothing was delivered twice; every entry was acknowledged.
    expect(broker.accounting).toMatchObject({ duplicates: 0, pending: 0, undelivered: 0, allAcknowledged: true, appended: 3000 });
    expect(broker.accounting.acknowledged).toBe(broker.accounting.entries);
    expect(result.drained).toBe(true);
    expect(result.outputDigest).toBe(reference);
    expect(broker.engineDigest).toBe(reference);
  });

  it('broker restarted mid-run (AOF): no acknowledged record lost, the output equals the fault-free run', async () => {
    const { results, exitCode } = await run({ ...TRIAL, mode: 'continuous', target: 'local', 'restart-broker-at': '0.4s' });
    expect(exitCode).toBe(0);
    const [result] = results.runs;
    const broker = result.broker!;
    expect(broker.faults?.[0]).toMatchObject({ kind: 'restart-broker' });
    expect(broker.faults![0].restartedUs).toBeGreaterThan(broker.faults![0].atUs);
    // Every record a generator had acknowledged is in the broker after the restart, and was processed.
    expect(broker.accounting.appended).toBe(3000);
    expect(broker.accounting.entries).toBeGreaterThanOrEqual(3000 + 2);
    expect(broker.accounting).toMatchObject({ pending: 0, undelivered: 0, allAcknowledged: true });
    expect(result.drained).toBe(true);
    expect(result.outputDigest).toBe(reference);
    expect(broker.accounting.results).toBe(Number(reference.split(':')[0]));
    expect(broker.accounting.delivered).toBe(broker.accounting.results + (broker.accounting.duplicates ?? 0));
  });
});
