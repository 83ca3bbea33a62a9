/**
 * `node dist/runner/records-bench.js`: per-event costs of issue 14's records on one thread,
 * measured with tinybench — generating a Nexmark event (an object), writing one into the
 * shared columns + string arena, both together (what the generator thread would do per
 * event), and reading fields back: a numeric column, and decoding a string field (a bid's
 * `extra`, ~68 bytes; a person's `state`, 2 bytes). Each task runs a batch of events; the
 * printed figure is the median task time divided by the batch (ns/event).
 */
import { Bench } from 'tinybench';
import { NexmarkGenerator } from '../scenarios/nexmark/nexmark-generator.js';
import { NexmarkColumns } from '../scenarios/nexmark/event-columns.js';
import type { NexmarkEvent } from '../scenarios/nexmark/model.js';

const BATCH = 4096;
const SLOTS = 1 << 16;
const LAG = 1024;

const generator = new NexmarkGenerator({ seed: 11 });
const prepared: NexmarkEvent[] = Array.from({ length: SLOTS }, (_, n) => generator.eventAt(n));
const columns = NexmarkColumns.create(SLOTS);
let next = 0;
let sink = 0;

/** Writes the next batch of pre-generated events, with a consumer LAG records behind. */
function encodeBatch(): void {
  for (let i = 0; i < BATCH; i++, next++) {
    if (!columns.write(next, prepared[next & (SLOTS - 1)], Math.max(0, next - LAG))) throw new Error('arena refused an event');
  }
}

function generateBatch(): void {
  for (let i = 0; i < BATCH; i++, next++) sink += generator.eventAt(next).dateTimeUs;
}

function generateEncodeBatch(): void {
  for (let i = 0; i < BATCH; i++, next++) {
    if (!columns.write(next, generator.eventAt(next), Math.max(0, next - LAG))) throw new Error('arena refused an event');
  }
}

// Fill the ring once so reads see real events; find bid and person slots to read.
next = 0;
for (let i = 0; i < SLOTS / BATCH; i++) encodeBatch();
const bidSlots = Int32Array.from({ length: SLOTS }, (_, slot) => slot).filter((slot) => prepared[slot].kind === 'bid').slice(0, BATCH);
const personSlots = Int32Array.from({ length: SLOTS }, (_, slot) => slot).filter((slot) => prepared[slot].kind === 'person').slice(0, BATCH);
const extra = columns.stringColumn('extra');
const state = columns.stringColumn('state');

const bench = new Bench({ time: 1500, warmupTime: 300 });
bench
  .add('generate (eventAt)', generateBatch)
  .add('encode into columns', encodeBatch)
  .add('generate + encode', generateEncodeBatch)
  .add('read price (Int32 column)', () => {
    for (let i = 0; i < BATCH; i++) sink += columns.priceAt(bidSlots[i]);
  })
  .add('decode bid extra (~68 B)', () => {
    for (let i = 0; i < BATCH; i++) sink += columns.strings.decode(bidSlots[i], extra).length;
  })
  .add('decode person state (2 B)', () => {
    for (let i = 0; i < personSlots.length; i++) sink += columns.strings.decode(personSlots[i], state).length;
  });

await bench.run();
const perEvent = (name: string, batch: number): string => {
  const task = bench.getTask(name);
  const median = task?.result && 'latency' in task.result ? task.result.latency.p50 : Number.NaN;
  return `${((median * 1e6) / batch).toFixed(1)} ns/event`;
};
for (const task of bench.tasks) {
  const batch = task.name.includes('state') ? personSlots.length : BATCH;
  console.log(`${task.name.padEnd(28)} ${perEvent(task.name, batch)}`);
}
if (sink === 0.5) console.log(sink);
