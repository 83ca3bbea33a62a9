/**
 * Peer: RxJS 7, per record. Every record read from the source log goes through a `Subject`
 * piped through `map`/`filter` (and the keyed state of the scenario's pipeline) and is emitted
 * as soon as it comes out: what a Node user writes with RxJS for a low-latency stream.
 * `streambench run --mode ./examples/peers/rxjs-per-record.mjs`
 */
import { Subject, filter, map } from 'rxjs';
import { defineMode } from 'streambench';
import { mainThreadEngine } from './main-thread-engine.mjs';
import { recordSteps } from './operators.mjs';

export default defineMode({
  id: 'rxjs',
  summary: 'peer: RxJS 7 per record (Subject → map/filter → keyed state), one thread',
  order: 10,
  cadence: 'per-record',
  delivery: 'at-least-once',
  settings: [],
  knobs: {},
  label: () => 'per record',
  create: (context) =>
    mainThreadEngine(context, {
      start() {
        const input = new Subject();
        const operators = recordSteps(context, 'RxJS').flatMap((step) => [map(({ partition, record }) => ({ partition, record: step(record) })), filter(({ record }) => record !== undefined)]);
        input.pipe(...operators).subscribe(({ partition, record }) => {
          partition.output(record.eventTimeUs, record.key, record.value);
        });
        return {
          push(partition, record) {
            input.next({ partition, record });
            partition.emit();
          },
          end() {
            input.complete();
          },
        };
      },
    }),
});
