/**
 * The receiving thread of the hand-off reference (`reference-handoff.ts`): for each ping
 * (the sender's `process.hrtime` stamp, ns) it replies at once with its own arrival stamp,
 * so the sender gets the one-way delivery time and the round trip.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (sentNs: bigint) => {
  parentPort?.postMessage([sentNs, process.hrtime.bigint()]);
});
