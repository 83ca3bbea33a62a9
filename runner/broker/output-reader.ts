/**
 * The harness's sink for a run through the broker: reads every partition's output stream
 * (blocking XREAD, a connection each) and measures each result exactly as the in-process
 * measuring sink does — it *is* that sink (`MeasuringSink`): event-time latency = the time the
 * harness received the result − the input's event time, into the same HdrHistograms, the 100 ms
 * output timeline, and the same order-insensitive digest, so the digest equals the in-process
 * run's for the same scenario, seed and partitions.
 *
 * Results carry the input's schedule index `i`; for pipelines with at most one result per input
 * a result whose index was already seen is a duplicate (a re-delivery): counted, and kept out of
 * the digest and the latency, as in-process replays are (`deliveredDigest` counts every one).
 */
import { MeasuringSink, type OutputDigest } from '../../engines/partition/measuring-sink.js';
import type { Clock } from '../../primitives/clock.js';
import { createHistogram, encodeHistogram, type Histogram } from '../../primitives/histogram.js';
import { Timeline, type TimelineData } from '../../primitives/timeline.js';
import { decodeEntry, type PartitionStreams } from './contract.js';
import { entriesOf, type Broker, type Client } from './broker.js';
import { SeenSet } from './seen-set.js';

/** Thrown when a system under test writes output that breaks the contract. */
export class MalformedOutput extends Error {}

/** What one partition's output measured. */
export interface OutputMeasurement {
  emitted: number;
  emittedInWindow: number;
  digest: OutputDigest;
  eventTime: string;
  timeline: TimelineData;
}

export interface OutputReaderSettings {
  measureStartUs: number;
  measureEndUs: number;
  bucketUs: number;
  buckets: number;
  /** Whether a result's index identifies it (pipelines with at most one result per input): then duplicates are counted. */
  dedupe: boolean;
}

export class OutputReader {
  private readonly sinks: MeasuringSink[];
  private readonly histograms: Histogram[] = [];
  private readonly timelines: Timeline[] = [];
  private readonly clients: Client[] = [];
  private readonly ends: (number | undefined)[];
  private readonly seen = new SeenSet();
  /** Hashes every delivery (duplicates included) with the measuring sink's digest. */
  private readonly delivered = new MeasuringSink({ measureStartUs: Infinity, measureEndUs: Infinity }, createHistogram(false), createHistogram(false), new Timeline(0, 1, 1));
  private stopped = false;
  private loops: Promise<void>[] = [];
  private failure?: Error;
  /** Results counted twice (same index), when `dedupe`. */
  duplicates = 0;
  /** Results received, duplicates included. */
  received = 0;
  /** The last time a result arrived (µs, run clock). */
  lastReceiveUs = -Infinity;
  /** Moments noted with {@link mark} (faults), each with the first arrival after it. */
  private readonly marks: { atUs: number; firstUs?: number }[] = [];

  constructor(
    private readonly broker: Broker,
    private readonly streams: readonly PartitionStreams[],
    private readonly clock: Clock,
    private readonly settings: OutputReaderSettings,
  ) {
    this.sinks = streams.map(() => {
      const eventTime = createHistogram();
      this.histograms.push(eventTime);
      const timeline = new Timeline(settings.measureStartUs, settings.bucketUs, settings.buckets);
      this.timelines.push(timeline);
      return new MeasuringSink(settings, eventTime, createHistogram(false), timeline);
    });
    this.ends = streams.map(() => undefined);
  }

  /** Starts reading every output stream from its beginning. */
  start(): void {
    this.loops = this.streams.map((streams, p) => this.read(p, streams.output));
  }

  /** Whether every partition's end-of-output marker has arrived. */
  get ended(): boolean {
    return this.ends.every((end) => end !== undefined);
  }

  /** The first contract violation seen, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Notes a moment (a fault); returns its number for {@link firstAfter}. */
  mark(atUs: number): number {
    return this.marks.push({ atUs }) - 1;
  }

  /** The first time results arrived after mark `index`, if any did. */
  firstAfter(index: number): number | undefined {
    return this.marks[index]?.firstUs;
  }

  private async read(p: number, stream: string): Promise<void> {
    const client = this.broker.client();
    this.clients.push(client);
    const sink = this.sinks[p];
    let last = '0-0';
    while (!this.stopped) {
      let reply: unknown;
      try {
        reply = await client.call('XREAD', 'COUNT', '8192', 'BLOCK', '50', 'STREAMS', stream, last);
      } catch (error) {
        if (this.stopped) return;
        throw error;
      }
      const nowUs = this.clock.now();
      let results = 0;
      for (const [id, fields] of entriesOf(reply)) {
        last = id;
        const entry = decodeEntry(fields ?? []);
        if (!entry) {
          this.failure ??= new MalformedOutput(`malformed output on ${stream}: entry ${id} has ${JSON.stringify(fields)}; each result needs a numeric t (the input's event time), integer k and v (see README, "The stream contract")`);
          continue;
        }
        if (entry.kind === 'end') {
          this.ends[p] = entry.count;
          continue;
        }
        this.received++;
        this.delivered.push(0, entry.k, entry.v);
        this.delivered.discardHeld();
        if (this.settings.dedupe && entry.i >= 0 && this.seen.addIfNew(entry.i) === false) {
          this.duplicates++;
          continue;
        }
        sink.push(entry.t, entry.k, entry.v);
        results++;
      }
      if (results > 0) {
        sink.flush(nowUs);
        this.lastReceiveUs = nowUs;
        for (const mark of this.marks) if (mark.firstUs === undefined && nowUs >= mark.atUs) mark.firstUs = nowUs;
      }
    }
  }

  /** Stops reading and returns what each partition measured. */
  async close(): Promise<OutputMeasurement[]> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
    for (const client of this.clients) this.broker.release(client);
    return this.sinks.map((sink, p) => {
      sink.close();
      const measurement = {
        emitted: sink.emitted,
        emittedInWindow: sink.emittedInWindow,
        digest: { ...sink.digest },
        eventTime: encodeHistogram(this.histograms[p]),
        timeline: this.timelines[p].toData(),
      };
      this.histograms[p].destroy();
      return measurement;
    });
  }

  /** The digest of every delivery, duplicates included. */
  get deliveredDigest(): OutputDigest {
    return { ...this.delivered.digest };
  }
}
