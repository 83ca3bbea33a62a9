/**
 * The piscina worker entry of a {@link RecoveringPartitionPool}: the partition task, with
 * the histograms' WebAssembly compiled while the thread boots, so that a standby thread can
 * take over a failed partition at once.
 */
import { createHistogram } from '../../primitives/histogram.js';
import partitionWorker from './partition-worker.js';

createHistogram().destroy();

export default partitionWorker;
