/**
 * What the peers share: an engine that runs on the trial's main thread (one thread for every
 * partition, as a single Node process would), polls the source log's partitions in chunks and
 * hands each record to the peer's pipeline. `peer.start()` wires the library and returns
 * `{ push(partition, record, offset), end(), ready? }`: `push` for each record read (returning
 * `false` when the library wants no more for now: back-pressure), `end` once every partition
 * is exhausted, and `ready()`, a promise of room again after a `false`.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { allCommitted, openPartitions, pollUntil, waitForInput } from 'streambench';

/** How long an idle loop waits for new records before it looks again (ms). */
const IDLE_WAIT_MS = 20;
/** Records read from one partition before the loop lets the event loop run (timers, stream callbacks). */
const CHUNK = 1024;

/** An engine over the peer's pipeline. */
export function mainThreadEngine(context, peer) {
  let partitions = [];
  let running = false;
  let loop = Promise.resolve();
  return {
    async start() {
      partitions = openPartitions(context);
      const pipe = peer.start();
      running = true;
      loop = (async () => {
        let ended = false;
        while (running) {
          let read = 0;
          let full = false;
          for (const partition of partitions) {
            if (full) break;
            read += partition.poll((eventTimeUs, key, value, offset) => {
              if (pipe.push(partition, { eventTimeUs, key, value }, offset) === false) full = true;
            }, CHUNK);
          }
          if (full) await pipe.ready();
          else if (read > 0) await yieldToEventLoop();
          else {
            if (!ended && partitions.every((p) => p.exhausted)) {
              ended = true;
              pipe.end();
            }
            await waitForInput(context, partitions, IDLE_WAIT_MS);
          }
        }
      })();
    },
    drain(deadlineUs) {
      return pollUntil(context.clock, () => allCommitted(context.log), deadlineUs);
    },
    async stop() {
      running = false;
      await loop;
      return { partitions: partitions.map((p) => p.close()) };
    },
    async terminate() {
      running = false;
    },
  };
}
