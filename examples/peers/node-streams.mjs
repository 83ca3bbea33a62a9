/**
 * Peer: Node.js object streams. A `Readable` in object mode yields the records read from the
 * source log, a `Transform` runs the scenario's pipeline per record, and a `Writable` emits
 * each output at once: `Readable → Transform → Writable` with `pipeline()`, the stream API's
 * own back-pressure between them. `streambench run --mode ./examples/peers/node-streams.mjs`
 */
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { defineMode } from 'streambench';
import { mainThreadEngine } from './main-thread-engine.mjs';
import { recordSteps } from './operators.mjs';

export default defineMode({
  id: 'node-streams',
  summary: 'peer: Node.js object streams (Readable → Transform → Writable), one thread',
  order: 12,
  cadence: 'per-record',
  delivery: 'at-least-once',
  settings: [],
  knobs: {},
  label: () => 'object mode',
  create: (context) =>
    mainThreadEngine(context, {
      start() {
        const steps = recordSteps(context, 'Node streams');
        // Back-pressure: after push() says "enough", wait until the stream asks to read again.
        let wanted = true;
        let wake = () => {};
        const source = new Readable({ objectMode: true, highWaterMark: 1024, read: () => ((wanted = true), wake()) });
        const transform = new Transform({
          objectMode: true,
          highWaterMark: 1024,
          transform(item, _encoding, done) {
            let r = item.record;
            for (const step of steps) if (r !== undefined) r = step(r);
            done(null, { ...item, record: r });
          },
        });
        const sink = new Writable({
          objectMode: true,
          highWaterMark: 1024,
          write({ partition, record, offset }, _encoding, done) {
            if (record !== undefined) partition.output(record.eventTimeUs, record.key, record.value);
            partition.emit(offset + 1);
            done();
          },
        });
        void pipeline(source, transform, sink);
        return {
          push(partition, record, offset) {
            const more = source.push({ partition, record, offset });
            if (!more) wanted = false;
            return more;
          },
          ready: () => (wanted ? Promise.resolve() : new Promise((resolve) => (wake = resolve))),
          end() {
            source.push(null);
          },
        };
      },
    }),
});
