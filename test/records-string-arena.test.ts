/**
 * The shared string arena (`primitives/string-arena.ts`) and the schema'd record columns over
 * it (`primitives/record-columns.ts`): round trips, the bound on live bytes, wrap-around reuse.
 */
import { describe, expect, it } from 'vitest';
import { StringArena } from '../primitives/string-arena.js';
import { RecordColumns } from '../primitives/record-columns.js';
import { Worker } from 'node:worker_threads';

/** Writes one record of strings at `offset`; false if the arena refused it. */
function writeRecord(arena: StringArena, offset: number, texts: readonly string[], oldestLive: number): boolean {
  const max = texts.reduce((sum, text) => sum + StringArena.maxBytes(text), 0);
  if (!arena.begin(offset, max, oldestLive)) return false;
  texts.forEach((text, column) => arena.put(column, text));
  arena.end();
  return true;
}

describe('StringArena', () => {
  it('round-trips UTF-8 strings per slot and column, with byte lengths, and rounds slots up to a power of two', () => {
    const arena = StringArena.create(5, 3, 1024);
    expect(arena.slots).toBe(8);
    const texts = ['héllo wörld', '', '日本語 ✓ 🚀'];
    expect(writeRecord(arena, 0, texts, 0)).toBe(true);
    expect(texts.map((_, column) => arena.decode(0, column))).toEqual(texts);
    expect(arena.byteLength(0, 0)).toBe(Buffer.byteLength(texts[0]));
    expect(arena.byteLength(0, 1)).toBe(0);
    expect(arena.byteLength(0, 2)).toBe(Buffer.byteLength(texts[2]));
    expect(arena.head).toBe(Buffer.byteLength(texts.join('')));
  });

  it('writes a record\'s strings in one go (putAll): ASCII in one write, anything else one by one, spans alike', () => {
    const arena = StringArena.create(8, 3, 4096);
    const cases: string[][] = [['abc', '', 'de'], ['héllo', 'ascii', '✓'], ['', '', '']];
    cases.forEach((texts, offset) => {
      expect(arena.begin(offset, 3 * texts.join('').length, offset)).toBe(true);
      arena.putAll([2, 0, 1], texts);
      arena.end();
    });
    cases.forEach((texts, slot) => expect([arena.decode(slot, 2), arena.decode(slot, 0), arena.decode(slot, 1)]).toEqual(texts));
    expect(arena.byteLength(1, 2)).toBe(6); // 'héllo'
    expect(arena.byteOffset(1, 0)).toBe(arena.byteOffset(1, 2) + 6);
    expect(arena.head).toBe(5 + 6 + 5 + 3);
  });

  it('putAll: a tight reservation is honoured for multi-byte text, and exceeding it throws', () => {
    const arena = StringArena.create(4, 2, 64);
    // 'é' is 2 bytes: 'aé' + 'b' is 4 bytes for 3 characters; 3 bytes reserved cannot hold it.
    expect(arena.begin(0, 3, 0)).toBe(true);
    expect(() => arena.putAll([0, 1], ['aé', 'b'])).toThrow(/more bytes than its begin\(\) reserved/);
    expect(arena.begin(1, 4, 0)).toBe(true);
    arena.putAll([0, 1], ['aé', 'b']);
    arena.end();
    expect([arena.decode(1, 0), arena.decode(1, 1)]).toEqual(['aé', 'b']);
  });

  it('compares and hashes bytes without decoding', () => {
    const arena = StringArena.create(4, 1, 256);
    writeRecord(arena, 0, ['OR'], 0);
    writeRecord(arena, 1, ['ORE'], 0);
    const or = new TextEncoder().encode('OR');
    expect(arena.equals(0, 0, or)).toBe(true);
    expect(arena.equals(1, 0, or)).toBe(false);
    expect(arena.equals(0, 0, new TextEncoder().encode('OX'))).toBe(false);
    expect(arena.byteAt(1, 0, 2)).toBe('E'.charCodeAt(0));
    expect(arena.hash(0, 0)).not.toBe(arena.hash(1, 0));
    writeRecord(arena, 2, ['OR'], 0);
    expect(arena.hash(2, 0)).toBe(arena.hash(0, 0));
  });

  it('refuses a record whose bytes would overwrite a live one, and takes it once the consumer commits past', () => {
    const arena = StringArena.create(16, 1, 100);
    const exact = (offset: number, text: string, oldestLive: number): boolean => {
      if (!arena.begin(offset, text.length, oldestLive)) return false;
      arena.put(0, text);
      arena.end();
      return true;
    };
    const [a, b, c] = ['a'.repeat(40), 'b'.repeat(20), 'c'.repeat(40)];
    expect(exact(0, a, 0)).toBe(true); // bytes 0..40
    expect(exact(1, b, 0)).toBe(true); // 40..60
    expect(exact(2, c, 0)).toBe(true); // 60..100: exactly full
    expect(arena.head).toBe(100);
    expect(exact(3, 'd', 0)).toBe(false); // would overwrite record 0, still live
    expect(exact(3, 'd', 1)).toBe(true); // record 0 committed: its bytes are reused, at 0
    expect(arena.byteOffset(3, 0)).toBe(0);
    expect([arena.decode(1, 0), arena.decode(2, 0), arena.decode(3, 0)]).toEqual([b, c, 'd']);
    expect(exact(4, a, 1)).toBe(false); // 1..41 would reach into record 1 (40..60)
    expect(exact(4, a, 2)).toBe(true);
    expect(arena.byteOffset(4, 0)).toBe(1);
    // 70 bytes do not fit the tail (41..100): the record starts again at 0, if that is free.
    expect(exact(5, 'e'.repeat(70), 4)).toBe(false);
    expect(exact(5, 'e'.repeat(70), 5)).toBe(true);
    expect(arena.byteOffset(5, 0)).toBe(0);
    expect(arena.head).toBe(270);
    expect(() => arena.begin(6, 3 * 40, 6)).toThrow(/up to 120 string bytes can never fit an arena of 100/);
  });

  it('refuses a record once the slot ring is full of live ones, and throws for one that could never fit', () => {
    const arena = StringArena.create(4, 1, 1000);
    for (let offset = 0; offset < 4; offset++) expect(writeRecord(arena, offset, ['a'], 0)).toBe(true);
    expect(writeRecord(arena, 4, ['a'], 0)).toBe(false);
    expect(writeRecord(arena, 4, ['a'], 1)).toBe(true);
    expect(() => arena.begin(5, 1001, 5)).toThrow(/can never fit an arena of 1000/);
    expect(() => StringArena.create(4, 0, 10)).toThrow(/at least one column/);
  });

  it('throws when a record writes more than it reserved (the bound cannot be exceeded by a wrong reservation)', () => {
    const arena = StringArena.create(4, 1, 100);
    expect(arena.begin(0, 3, 0)).toBe(true);
    expect(() => arena.put(0, 'four')).toThrow(/more bytes than its begin\(\) reserved/);
  });

  it('wraps around: a consumer lagging by up to 7 records always reads what was written, and memory never grows', () => {
    const arena = StringArena.create(8, 2, 600);
    const sizes = arena.buffers.data.byteLength + arena.buffers.spans.byteLength + arena.buffers.starts.byteLength;
    const textOf = (offset: number, column: number): string => `${column}:${offset}:${'é'.repeat(offset % 11)}`;
    let committed = 0;
    let refused = 0;
    for (let offset = 0; offset < 5000; ) {
      if (writeRecord(arena, offset, [textOf(offset, 0), textOf(offset, 1)], committed)) offset++;
      else refused++;
      // The consumer reads and commits a record whenever the lag reaches 7, or the writer is refused.
      while (offset - committed >= 7 || (refused > 0 && committed < offset)) {
        const slot = committed & (arena.slots - 1);
        expect(arena.decode(slot, 0)).toBe(textOf(committed, 0));
        expect(arena.decode(slot, 1)).toBe(textOf(committed, 1));
        committed++;
        refused = 0;
      }
      expect(arena.byteOffset(offset & 7, 0) + arena.byteLength(offset & 7, 0)).toBeLessThanOrEqual(600);
    }
    expect(arena.head).toBeGreaterThan(40 * 600); // the ring lapped many times over
    expect(arena.buffers.data.byteLength + arena.buffers.spans.byteLength + arena.buffers.starts.byteLength).toBe(sizes);
  });

  it('is read by another thread from the same memory', async () => {
    const arena = StringArena.create(4, 1, 64);
    writeRecord(arena, 0, ['shared ✓'], 0);
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const b = workerData; const spans = new Int32Array(b.spans);
       parentPort.postMessage(Buffer.from(b.data).toString('utf8', spans[0], spans[0] + spans[1]));`,
      { eval: true, workerData: arena.buffers },
    );
    const text = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(text).toBe('shared ✓');
  });
});

describe('RecordColumns', () => {
  const schema = [
    { name: 'time', kind: 'float64' },
    { name: 'id', kind: 'int32' },
    { name: 'text', kind: 'string' },
    { name: 'json', kind: 'string' },
  ] as const;

  it('gives one typed column per numeric field and arena columns for strings, looked up by name and kind', () => {
    const columns = RecordColumns.create(schema, 10, 512);
    expect(columns.slots).toBe(16);
    expect(columns.float64('time')).toHaveLength(16);
    expect(columns.int32('id')).toHaveLength(16);
    expect(columns.stringColumn('text')).toBe(0);
    expect(columns.stringColumn('json')).toBe(1);
    expect(columns.slot(17)).toBe(1);
    expect(() => columns.int32('time')).toThrow(/"time" is float64, not int32/);
    expect(() => columns.float64('nope')).toThrow(/no column "nope" \(columns: time, id, text, json\)/);
    expect(() => RecordColumns.create([...schema, { name: 'id', kind: 'int32' }], 4, 8)).toThrow(/"id" is declared twice/);
  });

  it('wraps the same memory from its buffers (what a worker thread would do)', () => {
    const columns = RecordColumns.create(schema, 4, 512);
    columns.int32('id')[2] = 42;
    columns.strings.begin(2, 30, 2);
    columns.strings.put(columns.stringColumn('json'), '{"a":1}');
    columns.strings.end();
    const other = new RecordColumns(structuredClone(columns.buffers));
    expect(other.int32('id')[2]).toBe(42);
    expect(other.stringAt('json', 2)).toBe('{"a":1}');
  });
});
