/**
 * The classified sink as delivery sees it: a partial delivery (a slow sink's write) takes
 * the oldest held records across both classes, also after the priority lane delivered its
 * class ahead of the rest.
 */
import { describe, expect, it } from 'vitest';
import { ClassifiedSink } from '../engines/partition/classified-sink.js';
import { HeldClassOrder } from '../engines/priority/held-class-order.js';
import { Timeline } from '../primitives/timeline.js';

/** A sink holding records of the given classes, in order (P = priority, N = normal). */
function sinkHolding(classes: string): ClassifiedSink {
  const sink = new ClassifiedSink({ measureStartUs: 0, measureEndUs: 1e9 }, new Timeline(0, 100_000, 10));
  [...classes].forEach((c, i) => {
    sink.route(c === 'P');
    sink.push(0, i, i);
  });
  return sink;
}

describe('ClassifiedSink', () => {
  it('emits the oldest held records across both classes on a partial delivery', () => {
    const sink = sinkHolding('NPNPN');
    sink.flushFirst(2, 10);
    expect([sink.normal.emitted, sink.priority.emitted]).toEqual([1, 1]);
    sink.flushFirst(2, 20);
    expect([sink.normal.emitted, sink.priority.emitted]).toEqual([2, 2]);
    expect(sink.buffered).toBe(1);
    sink.flushFirst(5, 30);
    expect([sink.normal.emitted, sink.priority.emitted, sink.buffered]).toEqual([3, 2, 0]);
    sink.destroy();
  });

  it('passes over priority records the lane delivered ahead', () => {
    const sink = sinkHolding('NPNP');
    sink.priorityAhead.flush(5);
    expect([sink.priority.emitted, sink.buffered]).toEqual([2, 2]);
    sink.route(true);
    sink.push(0, 9, 9);
    // Held now, oldest first: N, N, P.
    sink.flushFirst(2, 10);
    expect([sink.normal.emitted, sink.priority.emitted]).toEqual([2, 2]);
    sink.flushFirst(1, 20);
    expect([sink.normal.emitted, sink.priority.emitted, sink.buffered]).toEqual([2, 3, 0]);
    expect(sink.emitted).toBe(5);
    sink.destroy();
  });

  it('drops every held record of both classes', () => {
    const sink = sinkHolding('PNNP');
    sink.priorityAhead.flushFirst(1, 1);
    expect(sink.discardHeld()).toBe(3);
    expect([sink.buffered, sink.emitted]).toEqual([0, 1]);
    sink.destroy();
  });
});

describe('HeldClassOrder', () => {
  it('keeps the order across growth and compaction', () => {
    const order = new HeldClassOrder();
    let priority = 0;
    for (let i = 0; i < 5000; i++) {
      order.note(i % 10 === 0);
      if (i % 7 === 6) priority += order.take(3);
    }
    priority += order.take(5000);
    expect(priority).toBe(500);
  });
});
