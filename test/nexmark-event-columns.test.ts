/**
 * Nexmark events in shared columns (`scenarios/nexmark/event-columns.ts`): every field of
 * 10 000 generated events round-trips through a ring much smaller than the run, the arena
 * stays within its bound, a refused write leaves live records intact, and another thread
 * reads the same fields from the buffers alone.
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { NexmarkColumns } from '../scenarios/nexmark/event-columns.js';
import { NexmarkGenerator } from '../scenarios/nexmark/nexmark-generator.js';
import { EventKind } from '../engines/records/schemas.js';

const generator = new NexmarkGenerator({ seed: 7 });

describe('NexmarkColumns', () => {
  it('round-trips every field of 10 000 events through a 1024-slot ring with a consumer 1000 records behind', () => {
    const columns = NexmarkColumns.create(1024);
    const bytes = columns.columns.buffers.strings.data.byteLength;
    const LAG = 1000;
    let committed = 0;
    for (let offset = 0; offset < 10_000 + LAG; offset++) {
      if (offset < 10_000) expect(columns.write(offset, generator.eventAt(offset), committed)).toBe(true);
      if (offset - committed >= LAG || offset >= 10_000) {
        const slot = columns.slot(committed);
        const event = generator.eventAt(committed);
        expect(columns.eventAt(slot)).toEqual(event);
        expect(columns.dateTimeAt(slot)).toBe(event.dateTimeUs);
        if (event.kind === 'bid') {
          expect([columns.kindAt(slot), columns.priceAt(slot), columns.auctionAt(slot), columns.bidderAt(slot)]).toEqual([EventKind.bid, event.price, event.auction, event.bidder]);
          expect(columns.stringAt('url', slot)).toBe(event.url);
        } else if (event.kind === 'auction') {
          expect([columns.kindAt(slot), columns.idAt(slot), columns.sellerAt(slot), columns.categoryAt(slot)]).toEqual([EventKind.auction, event.id, event.seller, event.category]);
        } else {
          expect([columns.kindAt(slot), columns.idAt(slot), columns.stringAt('state', slot)]).toEqual([EventKind.person, event.id, event.state]);
        }
        committed++;
      }
    }
    expect(committed).toBe(10_000);
    // The arena lapped several times within its fixed buffer; every span stayed inside it.
    expect(columns.strings.head).toBeGreaterThan(5 * bytes);
    expect(columns.columns.buffers.strings.data.byteLength).toBe(bytes);
    for (let slot = 0; slot < 1024; slot++) {
      const column = columns.stringColumn('extra');
      expect(columns.strings.byteOffset(slot, column) + columns.strings.byteLength(slot, column)).toBeLessThanOrEqual(bytes);
    }
  });

  it('refuses an event whose strings would overwrite live records, leaving them intact, and takes it after a commit', () => {
    const columns = NexmarkColumns.create(64, 4096); // 64 slots but only ~25 events of strings
    let written = 0;
    while (columns.write(written, generator.eventAt(written), 0)) written++;
    expect(written).toBeGreaterThan(5);
    expect(written).toBeLessThan(40);
    for (let offset = 0; offset < written; offset++) expect(columns.eventAt(columns.slot(offset))).toEqual(generator.eventAt(offset));
    const before = columns.eventAt(columns.slot(written - 1));
    let committed = 0;
    while (!columns.write(written, generator.eventAt(written), committed)) committed++;
    expect(committed).toBeGreaterThan(0);
    expect(columns.eventAt(columns.slot(written))).toEqual(generator.eventAt(written));
    expect(columns.eventAt(columns.slot(written - 1))).toEqual(before);
  });

  it('compares a string field with bytes, without decoding (the state filter of q3)', () => {
    const columns = NexmarkColumns.create(64);
    const person = generator.eventAt(0);
    columns.write(0, person);
    const state = new TextEncoder().encode(person.kind === 'person' ? person.state : '');
    expect(columns.strings.equals(0, columns.stringColumn('state'), state)).toBe(true);
  });

  it('is read by a worker thread from its buffers alone', async () => {
    const columns = NexmarkColumns.create(16);
    for (let offset = 0; offset < 16; offset++) columns.write(offset, generator.eventAt(offset));
    const url = new URL('../dist/scenarios/nexmark/event-columns.js', import.meta.url).href;
    const code = `import { workerData, parentPort } from 'node:worker_threads';
      const { NexmarkColumns } = await import(${JSON.stringify(url)});
      const columns = new NexmarkColumns(workerData);
      parentPort.postMessage([columns.priceAt(5), columns.stringAt('extra', 5), columns.stringAt('name', 0)]);`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: columns.columns.buffers });
    const fields = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    const bid = generator.eventAt(5);
    const person = generator.eventAt(0);
    expect(fields).toEqual([bid.kind === 'bid' ? bid.price : -1, bid.extra, person.kind === 'person' ? person.name : '']);
  });
});
