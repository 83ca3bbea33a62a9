import { describe, expect, it } from 'vitest';
import { burn } from '../engines/operators/cpu-cost.js';
import { buildPipeline, operatorNames, type OperatorSpec } from '../engines/operators/pipeline.js';
import type { OperatorContext, Stage } from '../engines/operators/stage.js';
import { Random } from '../primitives/random.js';

type Rec = [eventTimeUs: number, key: number, value: number];

/** A sink stage that keeps what it receives. */
class Collect implements Stage {
  records: Rec[] = [];
  finished = 0;
  push(eventTimeUs: number, key: number, value: number): void {
    this.records.push([eventTimeUs, key, value]);
  }
  finish(): void {
    this.finished++;
  }
}

function context(keys = 8, cpuIterationsPerUs = 10): OperatorContext {
  return { keys, cpuIterationsPerUs, counters: { lateDropped: 0 } };
}

function run(specs: OperatorSpec[], input: Rec[], ctx = context()): { out: Rec[]; sink: Collect; ctx: OperatorContext } {
  const sink = new Collect();
  const head = buildPipeline(specs, sink, ctx);
  for (const [t, k, v] of input) head.push(t, k, v);
  head.finish();
  return { out: sink.records, sink, ctx };
}

const MS = 1000;

describe('buildPipeline', () => {
  it('with no operators pushes straight to the sink', () => {
    const { out, sink } = run([], [[1, 2, 3]]);
    expect(out).toEqual([[1, 2, 3]]);
    expect(sink.finished).toBe(1);
  });

  it('knows every operator', () => {
    expect([...operatorNames].sort()).toEqual(['cpuCost', 'filter', 'flatMap', 'keyedCount', 'keyedSum', 'map', 'tumblingWindow']);
  });

  it('chains operators in declaration order and passes finish() down once', () => {
    const mapThenFilter = run(
      [
        { op: 'map', multiply: 2, add: 0, modulo: 1000 },
        { op: 'filter', dropMultiplesOf: 4 },
      ],
      [1, 2, 3, 4].map((v) => [0, 0, v] as Rec),
    );
    // doubled: 2 4 6 8 → drop multiples of 4 → 2 6
    expect(mapThenFilter.out.map((r) => r[2])).toEqual([2, 6]);
    expect(mapThenFilter.sink.finished).toBe(1);
    const filterThenMap = run(
      [
        { op: 'filter', dropMultiplesOf: 4 },
        { op: 'map', multiply: 2, add: 0, modulo: 1000 },
      ],
      [1, 2, 3, 4].map((v) => [0, 0, v] as Rec),
    );
    expect(filterThenMap.out.map((r) => r[2])).toEqual([2, 4, 6]);
  });
});

describe('stateless operators', () => {
  it('map computes (v·multiply + add) mod modulo and keeps time and key', () => {
    const { out } = run(
      [{ op: 'map', multiply: 7, add: 3, modulo: 10 }],
      [
        [100, 1, 0],
        [200, 2, 1],
        [300, 3, 9],
        [400, 4, 12345],
      ],
    );
    expect(out).toEqual([
      [100, 1, 3],
      [200, 2, 0],
      [300, 3, 6],
      [400, 4, 8], // 86418 mod 10
    ]);
  });

  it('filter drops multiples of dropMultiplesOf (0 included)', () => {
    const { out } = run(
      [{ op: 'filter', dropMultiplesOf: 3 }],
      [0, 1, 2, 3, 4, 5, 6, 7, 9, 10].map((v, i) => [i, i % 2, v] as Rec),
    );
    expect(out).toEqual([
      [1, 1, 1],
      [2, 0, 2],
      [4, 0, 4],
      [5, 1, 5],
      [7, 1, 7],
      [9, 1, 10],
    ]);
  });

  it('flatMap emits 1 + value mod maxTokens words per record, ids in [0, vocabulary)', () => {
    const input: Rec[] = [
      [10, 1, 0],
      [20, 2, 4],
      [30, 3, 5],
      [40, 4, 1234],
    ];
    const { out } = run([{ op: 'flatMap', maxTokens: 5, vocabulary: 100 }], input);
    // 1 + 0, 1 + 4, 1 + 0, 1 + 4 words
    expect(out).toHaveLength(1 + 5 + 1 + 5);
    expect(out.filter((r) => r[0] === 20)).toHaveLength(5);
    expect(out.filter((r) => r[0] === 30)).toHaveLength(1);
    for (const [t, k, v] of out) {
      expect(k).toBe(t / 10); // key and time kept
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(100);
    }
    // word i of line v is mix32(v, i) mod vocabulary: MurmurHash3's block and finaliser, values
    // from an independent implementation (Python, checked against MurmurHash3_x86_32's published vectors)
    expect(out.filter((r) => r[0] === 40).map((r) => r[2])).toEqual([70, 24, 92, 74, 73]);
    // words of one line differ by position (not all one id)
    expect(new Set(out.filter((r) => r[0] === 40).map((r) => r[2])).size).toBeGreaterThan(1);
    // deterministic
    expect(run([{ op: 'flatMap', maxTokens: 5, vocabulary: 100 }], input).out).toEqual(out);
  });

  it('cpuCost replaces the value with burn(value, round(micros · iterations/µs)) mod 1e6', () => {
    const input: Rec[] = [
      [1, 0, 0],
      [2, 1, 42],
      [3, 2, 999_999],
    ];
    const { out } = run([{ op: 'cpuCost', micros: 2.5 }], input, context(4, 4)); // 10 iterations
    expect(out.map((r) => [r[0], r[1]])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    // 10 rounds of x = x·1103515245 + 12345 (mod 2³²), x ^= x >>> 13, from an independent implementation (Python)
    expect(out.map((r) => r[2])).toEqual([950_524, 420_685, 381_165]);
    // deterministic across pipelines
    expect(run([{ op: 'cpuCost', micros: 2.5 }], input, context(4, 4)).out).toEqual(out);
    // more work gives a different result
    expect(run([{ op: 'cpuCost', micros: 5 }], input, context(4, 4)).out).not.toEqual(out);
    // at least one iteration even for a tiny cost
    expect(run([{ op: 'cpuCost', micros: 0 }], [[1, 0, 0]], context(4, 4)).out).toEqual([[1, 0, 12344]]);
  });

  it('burn is a deterministic mixing loop', () => {
    // by hand: x = 0·1103515245 + 12345 = 12345; x ^= 12345 >>> 13 (= 1) → 12344
    expect(burn(0, 1)).toBe(12344);
    expect(burn(7, 0)).toBe(7);
    expect(burn(-1, 0)).toBe(2 ** 32 - 1);
    // composition: n iterations then m equal n + m from the intermediate state
    expect(burn(burn(99, 300) | 0, 200)).toBe(burn(99, 500));
    expect(burn(99, 500)).toBe(burn(99, 500));
    expect(burn(99, 500)).not.toBe(burn(100, 500));
    expect(burn(99, 500)).not.toBe(burn(99, 501));
    const r = burn(123456, 10_000);
    expect(Number.isInteger(r)).toBe(true);
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(2 ** 32);
  });
});

describe('keyed operators', () => {
  it('keyedCount emits the running count per key', () => {
    const { out } = run(
      [{ op: 'keyedCount' }],
      [
        [1, 3, 100],
        [2, 1, 100],
        [3, 3, 7],
        [4, 3, 8],
        [5, 1, 9],
        [6, 0, 9],
      ],
    );
    expect(out).toEqual([
      [1, 3, 1],
      [2, 1, 1],
      [3, 3, 2],
      [4, 3, 3],
      [5, 1, 2],
      [6, 0, 1],
    ]);
  });

  it('keyedSum emits the running sum per key, mod 2^31', () => {
    const { out } = run(
      [{ op: 'keyedSum' }],
      [
        [1, 2, 10],
        [2, 5, 1],
        [3, 2, 32],
        [4, 5, 2],
        [5, 2, 2 ** 31 - 40], // 42 + 2^31 − 40 wraps to 2
      ],
    );
    expect(out).toEqual([
      [1, 2, 10],
      [2, 5, 1],
      [3, 2, 42],
      [4, 5, 3],
      [5, 2, 2],
    ]);
  });

  it('each pipeline has its own state', () => {
    const ctx = context();
    const a = new Collect();
    const b = new Collect();
    const headA = buildPipeline([{ op: 'keyedCount' }], a, ctx);
    const headB = buildPipeline([{ op: 'keyedCount' }], b, ctx);
    headA.push(0, 1, 0);
    headA.push(0, 1, 0);
    headB.push(0, 1, 0);
    expect(a.records.map((r) => r[2])).toEqual([1, 2]);
    expect(b.records.map((r) => r[2])).toEqual([1]);
  });
});

describe('tumblingWindow', () => {
  const spec = (sizeMs: number, maxOutOfOrdernessMs: number, allowedLatenessMs: number): OperatorSpec => ({
    op: 'tumblingWindow',
    sizeMs,
    maxOutOfOrdernessMs,
    allowedLatenessMs,
  });

  /**
   * The value a fired window carries for a key: mix32(mix32(index, count), sum) & 0x7fffffff,
   * looked up in values from an independent implementation (Python, its MurmurHash3 checked
   * against the published vectors), not recomputed with the code under test.
   */
  const WINDOW_VALUES: Record<string, number> = {
    '0,1,1': 1977196229, '0,1,3': 483992222, '0,1,4': 1092048349, '0,1,7': 1024504344, '0,1,8': 1430921075,
    '0,2,2': 306588780, '0,2,4': 1678583539, '0,2,5': 1795286318, '0,2,6': 174448264, '0,2,11': 259831018,
    '0,3,3': 227285523, '1,1,1': 2110553103, '1,1,5': 1420026937, '1,1,32': 364473736, '1,2,8': 1454334901,
    '1,2,18': 1150891137, '2,1,1': 1579346439, '3,1,2': 1170116448, '5,2,2': 2083167117,
  };
  const windowValue = (index: number, count: number, sum: number): number => {
    const value = WINDOW_VALUES[`${index},${count},${sum}`];
    if (value === undefined) throw new Error(`no independent value for window ${index}, count ${count}, sum ${sum}: add it to WINDOW_VALUES`);
    return value;
  };

  /** A pipeline that exposes its sink so tests can look between pushes. */
  function open(s: OperatorSpec, ctx = context(4)) {
    const sink = new Collect();
    const head = buildPipeline([s], sink, ctx);
    return { sink, head, ctx };
  }

  it('fires a window once the watermark passes its end, per key, stamped with the max event time', () => {
    const { sink, head, ctx } = open(spec(100, 0, 0));
    head.push(10 * MS, 1, 5);
    head.push(50 * MS, 2, 7);
    head.push(99 * MS, 1, 6);
    expect(sink.records).toEqual([]);
    head.push(100 * MS, 3, 1); // watermark 100 ms = end of window 0
    expect(sink.records).toEqual([
      [99 * MS, 1, windowValue(0, 2, 11)],
      [99 * MS, 2, windowValue(0, 1, 7)],
    ]);
    head.finish();
    expect(sink.records.slice(2)).toEqual([[100 * MS, 3, windowValue(1, 1, 1)]]);
    expect(sink.finished).toBe(1);
    expect(ctx.counters.lateDropped).toBe(0);
  });

  it('emits keys in key order, one record per key with records in the window', () => {
    const { sink, head } = open(spec(10, 0, 0), context(6));
    for (const key of [5, 0, 3, 0, 5, 5]) head.push(1 * MS, key, 1);
    head.push(20 * MS, 0, 0);
    expect(sink.records.map((r) => r[1])).toEqual([0, 3, 5]);
    expect(sink.records.map((r) => r[2])).toEqual([windowValue(0, 2, 2), windowValue(0, 1, 1), windowValue(0, 3, 3)]);
  });

  it('places out-of-order records within the bound in their own window', () => {
    const { sink, head, ctx } = open(spec(100, 50, 0));
    head.push(90 * MS, 0, 1);
    head.push(140 * MS, 0, 2); // window 1; watermark 90 ms
    head.push(95 * MS, 0, 4); // back to window 0, still open
    head.push(60 * MS, 1, 8); // window 0
    expect(sink.records).toEqual([]);
    head.push(149 * MS, 0, 16); // watermark 99 ms: window 0 still open
    expect(sink.records).toEqual([]);
    head.push(151 * MS, 2, 32); // watermark 101 ms: window 0 fires
    expect(sink.records).toEqual([
      [95 * MS, 0, windowValue(0, 2, 5)],
      [95 * MS, 1, windowValue(0, 1, 8)],
    ]);
    head.finish();
    expect(sink.records.slice(2)).toEqual([
      [151 * MS, 0, windowValue(1, 2, 18)],
      [151 * MS, 2, windowValue(1, 1, 32)],
    ]);
    expect(ctx.counters.lateDropped).toBe(0);
  });

  it('keeps a window open for the allowed lateness after the watermark passes its end', () => {
    const { sink, head, ctx } = open(spec(100, 0, 30));
    head.push(50 * MS, 0, 1);
    head.push(110 * MS, 0, 2); // watermark past end (100) but not end + lateness (130)
    expect(sink.records).toEqual([]);
    head.push(70 * MS, 1, 3); // late but allowed: joins window 0
    head.push(129 * MS, 0, 4);
    expect(sink.records).toEqual([]);
    head.push(130 * MS, 0, 5); // watermark 130: fires
    expect(sink.records).toEqual([
      [70 * MS, 0, windowValue(0, 1, 1)],
      [70 * MS, 1, windowValue(0, 1, 3)],
    ]);
    expect(ctx.counters.lateDropped).toBe(0);
  });

  it('drops and counts records for an already-fired window', () => {
    const { sink, head, ctx } = open(spec(100, 20, 10));
    head.push(10 * MS, 0, 1);
    head.push(130 * MS, 0, 1); // watermark 110 = 100 + 10: window 0 fires
    expect(sink.records).toHaveLength(1);
    head.push(99 * MS, 1, 5); // window 0 fired: dropped
    head.push(0, 2, 5); // dropped
    expect(ctx.counters.lateDropped).toBe(2);
    head.push(105 * MS, 1, 5); // window 1 open, accepted
    head.finish();
    expect(ctx.counters.lateDropped).toBe(2);
    const window1 = sink.records.slice(1);
    expect(window1).toEqual([
      [130 * MS, 0, windowValue(1, 1, 1)],
      [130 * MS, 1, windowValue(1, 1, 5)],
    ]);
    // no second firing of window 0
    expect(sink.records.filter((r) => r[2] === windowValue(0, 2, 6))).toEqual([]);
  });

  it('drops records of a window that never opened once the watermark is past it (boundary included)', () => {
    const { sink, head, ctx } = open(spec(100, 0, 0));
    head.push(500 * MS, 0, 1); // window 5, watermark 500 ms
    head.push(150 * MS, 0, 1); // window 1 closed at 200 ≤ 500: dropped
    head.push(499 * MS, 0, 1); // window 4 closes at 500 = watermark: dropped
    expect(ctx.counters.lateDropped).toBe(2);
    head.push(501 * MS, 0, 1); // window 5, accepted
    head.finish();
    expect(ctx.counters.lateDropped).toBe(2);
    expect(sink.records).toEqual([[501 * MS, 0, windowValue(5, 2, 2)]]);
  });

  it('fires several windows in index order when the watermark jumps', () => {
    const { sink, head } = open(spec(10, 0, 0));
    head.push(25 * MS, 0, 1); // window 2
    head.push(5 * MS, 0, 1); // window 0? closed at 10 ≤ 25: dropped
    const { sink: s2, head: h2 } = open(spec(10, 30, 0));
    h2.push(25 * MS, 0, 1); // window 2, watermark −5
    h2.push(5 * MS, 1, 1); // window 0
    h2.push(15 * MS, 2, 1); // window 1
    h2.push(100 * MS, 3, 1); // watermark 70: windows 0, 1, 2 fire in that order
    expect(s2.records).toEqual([
      [5 * MS, 1, windowValue(0, 1, 1)],
      [15 * MS, 2, windowValue(1, 1, 1)],
      [25 * MS, 0, windowValue(2, 1, 1)],
    ]);
    h2.finish();
    expect(s2.records).toHaveLength(4);
    head.finish();
    expect(sink.records).toEqual([[25 * MS, 0, windowValue(2, 1, 1)]]);
  });

  it('finish() flushes every open window in index order', () => {
    const { sink, head } = open(spec(100, 1_000, 0));
    head.push(350 * MS, 1, 2);
    head.push(120 * MS, 0, 3);
    head.push(10 * MS, 2, 4);
    head.push(130 * MS, 0, 5);
    expect(sink.records).toEqual([]);
    head.finish();
    expect(sink.records).toEqual([
      [10 * MS, 2, windowValue(0, 1, 4)],
      [130 * MS, 0, windowValue(1, 2, 8)],
      [350 * MS, 1, windowValue(3, 1, 2)],
    ]);
    expect(sink.finished).toBe(1);
  });

  it('sums wrap mod 2^31 and composes with upstream operators', () => {
    const ctx = context(2);
    const { out } = run(
      [{ op: 'map', multiply: 1, add: 0, modulo: 2 ** 31 }, spec(100, 0, 0)],
      [
        [1 * MS, 0, 2 ** 31 - 1],
        [2 * MS, 0, 5],
      ],
      ctx,
    );
    expect(out).toEqual([[2 * MS, 0, windowValue(0, 2, 4)]]);
  });

  it('is deterministic: the same input yields the same output', () => {
    const input: Rec[] = [];
    const random = new Random(3);
    let t = 0;
    for (let i = 0; i < 2000; i++) {
      t += 700;
      const jitter = random.below(60) * MS; // up to 59 ms out of order, beyond the 20 ms bound
      input.push([Math.max(0, t - jitter), i % 4, (i * 31) % 1000]);
    }
    const s = spec(50, 20, 5);
    const a = run([s], input, context(4));
    const b = run([s], input, context(4));
    expect(a.out).toEqual(b.out);
    expect(a.ctx.counters.lateDropped).toBe(b.ctx.counters.lateDropped);
    // replay the watermark rule independently: accepted + dropped = input, and windows match
    let accepted = 0;
    const windows = new Map<number, number>();
    const wm = { v: -Infinity };
    for (const [et] of input) {
      const index = Math.floor(et / (50 * MS));
      if ((index + 1) * 50 * MS + 5 * MS <= wm.v) continue;
      accepted++;
      windows.set(index, (windows.get(index) ?? 0) + 1);
      wm.v = Math.max(wm.v, et - 20 * MS);
    }
    expect(accepted + a.ctx.counters.lateDropped).toBe(input.length);
    expect(a.ctx.counters.lateDropped).toBeGreaterThan(0);
    // each output record's event time lies in its window
    const outWindows = new Set(a.out.map((r) => Math.floor(r[0] / (50 * MS))));
    expect(outWindows).toEqual(new Set(windows.keys()));
  });
});
