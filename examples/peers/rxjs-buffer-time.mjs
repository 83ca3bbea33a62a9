/**
 * Peer: RxJS 7, micro-batched with `bufferTime`. Records read from the source log go into a
 * `Subject` piped through `bufferTime(T)`; each buffer is run through the scenario's pipeline
 * (plain loops over the array, as RxJS-over-arrays code does) and emitted together, committing
 * its records. `--rxjs-buffer 100ms` sets T (default 100 ms).
 * `streambench run --mode ./examples/peers/rxjs-buffer-time.mjs`
 */
import { Subject, bufferTime } from 'rxjs';
import { defineMode } from 'streambench';
import { mainThreadEngine } from './main-thread-engine.mjs';
import { recordSteps } from './operators.mjs';

export default defineMode({
  id: 'rxjs-buffer',
  summary: 'peer: RxJS 7 bufferTime(T) micro-batches over arrays, one thread',
  order: 11,
  cadence: 'fixed-grid',
  delivery: 'exactly-once',
  settings: [{ flag: 'rxjs-buffer', option: 'rxjsBufferMs', param: 'intervalMs', kind: 'interval-ms', default: '100ms', help: 'rxjs-buffer peer: bufferTime interval T' }],
  knobs: { interval: 'rxjs-buffer' },
  label: (params) => `T=${params.intervalMs}ms`,
  create: (context) =>
    mainThreadEngine(context, {
      start() {
        const steps = recordSteps(context, 'RxJS bufferTime');
        const input = new Subject();
        input.pipe(bufferTime(Number(context.params.intervalMs ?? 100))).subscribe((buffer) => {
          const processedUpTo = new Map();
          for (const { partition, record, offset } of buffer) {
            let r = record;
            for (const step of steps) if (r !== undefined) r = step(r);
            if (r !== undefined) partition.output(r.eventTimeUs, r.key, r.value);
            processedUpTo.set(partition, offset + 1);
          }
          for (const [partition, upTo] of processedUpTo) partition.emit(upTo);
        });
        return {
          push(partition, record, offset) {
            input.next({ partition, record, offset });
          },
          end() {
            input.complete();
          },
        };
      },
    }),
});
