/**
 * The open-loop load generator: appends records to the source log at their *scheduled*
 * times, whatever the engine does. A record's event time is its scheduled time (minus a
 * declared skew for out-of-order records), never the time it was actually appended, so a
 * stall anywhere shows up in the latency of every record that waited. The generator's own
 * lateness (actual append − scheduled) is recorded as `generatorLag`.
 *
 * This class is the pure schedule-and-append logic; `generator-thread.ts` paces it on a
 * thread of its own. Tests drive it with an injected time.
 */
import { createHistogram, RunLengthRecorder, type Histogram } from '../primitives/histogram.js';
import { Random } from '../primitives/random.js';
import { KeySampler, type KeyDistribution } from '../scenarios/key-distribution.js';
import { nextRateChangeUs, rateAt, type ArrivalProcess, type RateProfile } from '../scenarios/rate-profile.js';
import type { SourceLog } from '../primitives/source-log.js';
import { Timeline } from '../primitives/timeline.js';

/** What to generate and when; times on the run clock (µs). */
export interface GeneratorPlan {
  profile: RateProfile;
  arrivals: ArrivalProcess;
  seed: number;
  keys: number;
  /** Skewed keys (zipf, hot keys); absent = uniform in 0 .. keys-1. */
  keyDistribution?: KeyDistribution;
  valueRange: number;
  outOfOrder?: { fraction: number; maxDelayMs: number };
  /** Scheduled time of the first record (start of warm-up). */
  startUs: number;
  /** No record is scheduled at or after this time. */
  endUs: number;
  /** Records scheduled in [measureStartUs, endUs) are measured; earlier ones are warm-up. */
  measureStartUs: number;
  /** Width of the input timeline's buckets. */
  bucketUs: number;
  /** Number of input timeline buckets, from `measureStartUs`. */
  buckets: number;
  /** Several generators share one schedule (broker runs): this one appends only the records whose index mod `count` is `index`. */
  share?: { index: number; count: number };
  /** When given: per log slot (the log's layout, Float64), the index in the schedule of the record appended there. */
  recordIndex?: SharedArrayBuffer;
}

/** What the generator reports when it is done. */
export interface GeneratorReport {
  /** Records scheduled in the measurement window. */
  offered: number;
  /** Records appended in the measurement window. */
  appended: number;
  /** Records scheduled in total (warm-up included). */
  offeredTotal: number;
  /** Records rejected because a partition's ring was full. */
  dropped: number;
  /** Final end offset of each partition. */
  ends: number[];
  /** Lag histogram, compressed base64 (measurement window only). */
  lagHistogram: Histogram;
  /** Records appended per bucket of scheduled time. */
  input: Timeline;
}

/** Schedules and appends records; call {@link pump} with the current time. */
export class LoadGenerator {
  private readonly arrivalRandom: Random;
  private readonly contentRandom: Random;
  /** Draws skewed keys; undefined = uniform keys, drawn as `contentRandom.below(keys)`. */
  private readonly keySampler: KeySampler | undefined;
  private readonly writeEnds: number[];
  private readonly lag: RunLengthRecorder;
  private readonly input: Timeline;
  private nextUs: number;
  private offered = 0;
  private appended = 0;
  private offeredTotal = 0;
  private dropped = 0;
  private meanGapUs = 0;
  private meanGapValidUntilUs = -Infinity;
  /** Free slots per partition, refreshed from the committed offsets at each pump. */
  private readonly room: Int32Array;
  /** Drops of the current pump per partition, published to the log once per pump. */
  private readonly droppedNow: Int32Array;
  private inputBucketEndUs = -Infinity;
  private inputBucketAtUs = 0;
  private inputCount = 0;
  /** Records scheduled so far (every share's), the index of the next one. */
  private scheduled = 0;
  private readonly recordIndex?: Float64Array;

  constructor(
    private readonly log: SourceLog,
    private readonly plan: GeneratorPlan,
    lagHistogram: Histogram = createHistogram(),
  ) {
    this.arrivalRandom = new Random(plan.seed ^ 0x5eed);
    this.contentRandom = new Random(plan.seed);
    this.keySampler = plan.keyDistribution ? new KeySampler(plan.keyDistribution, plan.keys) : undefined;
    this.writeEnds = Array.from({ length: log.partitions }, (_, p) => log.end(p));
    this.lag = new RunLengthRecorder(lagHistogram);
    this.input = new Timeline(plan.measureStartUs, plan.bucketUs, plan.buckets);
    this.nextUs = plan.startUs;
    this.room = new Int32Array(log.partitions);
    this.droppedNow = new Int32Array(log.partitions);
    if (plan.recordIndex) this.recordIndex = new Float64Array(plan.recordIndex);
  }

  /** Scheduled time of the next record, or Infinity once the schedule is exhausted. */
  get nextDueUs(): number {
    return this.nextUs < this.plan.endUs ? this.nextUs : Infinity;
  }

  get done(): boolean {
    return this.nextDueUs === Infinity;
  }

  /** Appends every record scheduled at or before `nowUs`, then publishes; returns how many were due. */
  pump(nowUs: number): number {
    const { log, plan } = this;
    const room = this.room;
    for (let p = 0; p < log.partitions; p++) room[p] = log.capacity - (this.writeEnds[p] - log.committed(p));
    let due = 0;
    while (this.nextUs <= nowUs && this.nextUs < plan.endUs) {
      const scheduledUs = this.nextUs;
      this.nextUs = scheduledUs + this.gapUs(scheduledUs);
      due++;
      this.appendOne(log, scheduledUs, nowUs, room);
    }
    if (due > 0) {
      for (let p = 0; p < log.partitions; p++) {
        if (this.writeEnds[p] !== log.end(p)) log.publish(p, this.writeEnds[p]);
        if (this.droppedNow[p] > 0) log.addDropped(p, this.droppedNow[p]);
      }
      this.droppedNow.fill(0);
    }
    return due;
  }

  /** Marks every partition finished and returns the report. Call once {@link done}. */
  finish(): GeneratorReport {
    for (let p = 0; p < this.log.partitions; p++) this.log.markFinished(p);
    this.lag.flush();
    this.flushInputCount();
    return {
      offered: this.offered,
      appended: this.appended,
      offeredTotal: this.offeredTotal,
      dropped: this.dropped,
      ends: [...this.writeEnds],
      lagHistogram: this.lag.histogram,
      input: this.input,
    };
  }

  private appendOne(log: SourceLog, scheduledUs: number, nowUs: number, room: Int32Array): void {
    const { plan, contentRandom } = this;
    // Record i's content depends on the seed (and the scenario) alone, never on timing.
    const key = this.keySampler === undefined ? contentRandom.below(plan.keys) : this.keySampler.draw(contentRandom);
    const value = contentRandom.below(plan.valueRange);
    let eventTimeUs = scheduledUs;
    if (plan.outOfOrder) {
      const skewDraw = contentRandom.next();
      const delayDraw = contentRandom.next();
      if (skewDraw < plan.outOfOrder.fraction) eventTimeUs -= delayDraw * plan.outOfOrder.maxDelayMs * 1000;
    }
    const index = this.scheduled++;
    if (plan.share !== undefined && index % plan.share.count !== plan.share.index) return;
    const measured = scheduledUs >= plan.measureStartUs;
    this.offeredTotal++;
    if (measured) this.offered++;

    const partition = key % log.partitions;
    const offset = this.writeEnds[partition];
    if (room[partition] <= 0) {
      this.dropped++;
      this.droppedNow[partition]++;
      return;
    }
    const slot = log.slot(partition, offset);
    log.eventTime[slot] = eventTimeUs;
    log.key[slot] = key;
    log.value[slot] = value;
    if (this.recordIndex !== undefined) this.recordIndex[slot] = index;
    this.writeEnds[partition] = offset + 1;
    room[partition]--;
    if (measured) {
      this.appended++;
      this.lag.record(nowUs - scheduledUs);
      this.countInput(scheduledUs);
    }
  }

  /** Counts an appended record into the input timeline, one timeline call per bucket. */
  private countInput(scheduledUs: number): void {
    if (scheduledUs < this.inputBucketEndUs) {
      this.inputCount++;
      return;
    }
    this.flushInputCount();
    const { measureStartUs, bucketUs } = this.plan;
    this.inputBucketEndUs = measureStartUs + (Math.floor((scheduledUs - measureStartUs) / bucketUs) + 1) * bucketUs;
    this.inputBucketAtUs = scheduledUs;
    this.inputCount = 1;
  }

  private flushInputCount(): void {
    if (this.inputCount > 0) this.input.add(this.inputBucketAtUs, this.inputCount);
    this.inputCount = 0;
  }

  /** The gap to the next arrival; the mean gap is recomputed only when the profile's rate changes. */
  private gapUs(atUs: number): number {
    if (atUs >= this.meanGapValidUntilUs) {
      const t = atUs - this.plan.startUs;
      this.meanGapUs = 1e6 / rateAt(this.plan.profile, t);
      this.meanGapValidUntilUs = this.plan.startUs + nextRateChangeUs(this.plan.profile, t);
    }
    return this.plan.arrivals === 'poisson' ? this.arrivalRandom.exponential(this.meanGapUs) : this.meanGapUs;
  }
}
