/**
 * One partition of `serve`'s bridge against a real broker (a private /usr/bin/redis-server on
 * loopback): a commit larger than one script acknowledges every input; and through a reconnect —
 * the reader's connection is dropped (CLIENT KILL) while its XREADGROUP is out, and ioredis
 * re-makes it and re-sends the read, as after a broker restart.
 *
 * What a broker restart leaves behind is set up by hand, exactly: an entry the group delivered
 * to the consumer in a reply that never reached it (an XREADGROUP of the same consumer on another
 * connection), and the producer's re-sent copy of that entry (its XADD's reply was lost too), added
 * in the same transaction that drops the reader's connection; an acknowledgement still on its way
 * is held behind a blocked BLPOP on its own connection. Every input entry must end up
 * acknowledged, and a copy is counted as a duplicate, never processed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceLog } from '../primitives/source-log.js';
import { BridgePartition } from '../runner/broker/bridge-partition.js';
import { Broker, reconnects, type Client, type ScriptedClient } from '../runner/broker/broker.js';
import { groupState } from '../runner/broker/broker-spec.js';
import { GROUP, partitionStreams, type PartitionStreams } from '../runner/broker/contract.js';

const CONSUMER = 'serve-test';

let broker: Broker;
let commands: Client & ScriptedClient;
let streamsMade = 0;

beforeAll(async () => {
  broker = await Broker.open({ kind: 'local' });
  commands = broker.commands;
});

afterAll(async () => {
  await broker?.close();
});

/** Fresh input and output streams with the group, from offset 0. */
async function freshStreams(): Promise<PartitionStreams> {
  const streams = partitionStreams(`bridge-test.${++streamsMade}`);
  await commands.call('XGROUP', 'CREATE', streams.input, GROUP, '0', 'MKSTREAM');
  return streams;
}

const record = (i: number): string[] => ['t', String(1000 + i), 'k', String(i % 3), 'v', '1', 'i', String(i)];
const end = (count: number, producer: number): string[] => ['end', String(count), 'g', String(producer)];

/** Entries XADDed to `input` and delivered to the consumer in a reply it never got (the group holds them pending). */
async function deliveredAndLost(input: string, entries: string[][]): Promise<void> {
  for (const fields of entries) await commands.call('XADD', input, '*', ...fields);
  await commands.call('XREADGROUP', 'GROUP', GROUP, CONSUMER, 'COUNT', '1000', 'STREAMS', input, '>');
}

/**
 * Runs `part`'s intake on a reader of its own; while its first read is out, one transaction drops
 * the reader's connection and appends `resent` (the producers' re-sent XADDs and what follows).
 * `maxReads` bounds an intake that never sees its input end.
 */
async function intakeThroughReconnect(part: BridgePartition, input: string, resent: string[][], maxReads = 30): Promise<void> {
  const reader = broker.client();
  try {
    await reader.call('PING');
    const readerId = String(await reader.call('CLIENT', 'ID'));
    let reads = 0;
    const intake = part.intake(reader, () => ++reads > maxReads, reconnects(reader));
    const transaction = commands.multi().call('CLIENT', 'KILL', 'ID', readerId);
    for (const fields of resent) transaction.call('XADD', input, '*', ...fields);
    await transaction.exec();
    await intake;
  } finally {
    broker.release(reader);
  }
}

/** Publishes and acknowledges what is left, as serve's final publish does. */
async function publishRest(part: BridgePartition): Promise<void> {
  await part.publish(commands, true, true);
  await part.settle();
}

describe('the bridge\'s commit', () => {
  it('acknowledges every input when one publish holds more results and more acknowledgements than one script takes', async () => {
    const streams = await freshStreams();
    const records = 8002; // over ACK_CHUNK (8000) inputs, with their end marker
    for (let from = 0; from < records; from += 2000) {
      const args: string[] = [];
      for (let i = from; i < Math.min(records, from + 2000); i++) args.push(String(1000 + i), String(i % 3), '1', String(i));
      await commands.xaddRecords(streams.input, ...args);
    }
    await commands.call('XADD', streams.input, '*', ...end(records, 0));
    const part = new BridgePartition(0, streams, SourceLog.create(1, 16384), 1, CONSUMER, () => {});
    const reader = broker.client();
    await part.intake(reader, () => false, () => false);
    broker.release(reader);
    for (let r = 0; r < 2001; r++) part.take(1000 + r, r % 3, 1, r); // over PUBLISH_CHUNK (2000) results
    await part.publish(commands, true, true);
    await part.settle();
    expect(await groupState(commands, streams.input)).toMatchObject({ pending: 0, lag: 0, entriesRead: records + 1 });
    expect(Number(await commands.call('XLEN', streams.output))).toBe(2001);
  });
});

describe('the bridge through a reconnect', () => {
  it('claims and acknowledges an entry of a lost reply even when the re-sent copy completes the input', async () => {
    const streams = await freshStreams();
    await deliveredAndLost(streams.input, [record(0)]);
    const part = new BridgePartition(0, streams, SourceLog.create(1, 64), 1, CONSUMER, () => {});
    // The re-sent copy of record 0, then the producer's end marker: the first read after the reconnect ends the input.
    await intakeThroughReconnect(part, streams.input, [record(0), end(1, 0)]);
    await publishRest(part);
    expect(part.finished).toBe(true);
    expect(await groupState(commands, streams.input)).toMatchObject({ pending: 0, lag: 0, entriesRead: 3 });
    expect(part.counters).toMatchObject({ appended: 1, inputDuplicates: 1 });
  });

  it('counts a producer\'s end marker once when a claimed original and its re-sent copy both come in', async () => {
    const streams = await freshStreams();
    // Producer 0's record and end marker were delivered in the lost reply; its end marker was re-sent.
    await deliveredAndLost(streams.input, [record(0), end(1, 0)]);
    const part = new BridgePartition(0, streams, SourceLog.create(1, 64), 2, CONSUMER, () => {});
    await intakeThroughReconnect(part, streams.input, [end(1, 0), record(1), end(1, 1)]);
    await publishRest(part);
    expect(part.finished).toBe(true);
    expect(await groupState(commands, streams.input)).toMatchObject({ pending: 0, lag: 0, entriesRead: 5 });
    expect(part.counters).toMatchObject({ appended: 2, inputDuplicates: 1 });
  });

  it('leaves alone the entries whose acknowledgement is on its way (neither claimed nor counted as duplicates)', async () => {
    const streams = await freshStreams();
    await commands.call('XADD', streams.input, '*', ...record(0));
    await commands.call('XADD', streams.input, '*', ...record(1));
    const part = new BridgePartition(0, streams, SourceLog.create(1, 64), 1, CONSUMER, () => {});
    const reader = broker.client();
    let reads = 0;
    await part.intake(reader, () => reads++ >= 1, () => false); // one read: both records in
    broker.release(reader);
    // Their acknowledgement is sent on a connection held by a blocked BLPOP: it is out, not yet done.
    const held = broker.client();
    const gate = `${streams.input}:gate`;
    const opened = held.call('BLPOP', gate, '0');
    await part.publish(held, true, true);
    await intakeThroughReconnect(part, streams.input, [end(2, 0)]);
    await commands.call('LPUSH', gate, 'open');
    await opened;
    await publishRest(part);
    broker.release(held);
    expect(await groupState(commands, streams.input)).toMatchObject({ pending: 0, lag: 0, entriesRead: 3 });
    expect(part.counters).toMatchObject({ appended: 2, inputDuplicates: 0, redelivered: 0 });
  });
});
