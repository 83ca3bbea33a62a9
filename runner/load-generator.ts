/**
 * The open-loop load generator: appends records to the source log at their *scheduled*
 * times, whatever the engine does. A record's event time is its scheduled time (minus a
 * declared skew for out-of-order records), never the time it was actually appended, so a
 * stall anywhere shows up in the latency of every record that waited. The generator's own
 * lateness (publish − scheduled) is recorded as `generatorLag`.
 *
 * Records are written ahead: each {@link LoadGenerator.pump} draws the records scheduled in
 * the next `aheadUs` and writes their event time, key and value into the log's columns past
 * the published end, where no consumer reads; a later pump makes them visible by publishing
 * the end offset once their scheduled time has come. What it costs per record is drawing it
 * and three stores, off the moment of publishing; the pump at a record's time only moves an
 * offset. A record is written ahead only into a slot that is free (its previous occupant
 * committed): the first one without a free slot is held back and decided at its scheduled
 * time, written if a slot has been freed by then and otherwise dropped and counted, as every
 * record not yet written is. Retention never depends on how far ahead the generator writes.
 *
 * This class is the pure schedule-and-append logic; `generator-pacing.ts` paces it on a
 * thread of its own (`generator-thread.ts`). Tests drive it with an injected time.
 */
import { createHistogram, RunLengthRecorder, UNIT_RESOLUTION_LIMIT, type Histogram } from '../primitives/histogram.js';
import { mulberry32, Random } from '../primitives/random.js';
import { KeySampler, type KeyDistribution } from '../scenarios/key-distribution.js';
import { nextRateChangeUs, rateAt, type ArrivalProcess, type RateProfile } from '../scenarios/rate-profile.js';
import type { SourceLog } from '../primitives/source-log.js';
import { Timeline } from '../primitives/timeline.js';
import { RecordWriter, type RecordSourcePlan } from '../scenarios/records/record-writer.js';

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
  /**
   * A record query's source (issue 14): record i of the schedule is also written, fields and
   * strings, into its partition's record columns, and its key is the record's partitioning
   * key (`scenarios/records/record-writer.ts`); one the string arena refuses is held back or
   * dropped as one without a free slot is. Absent = scalar records only.
   */
  records?: RecordSourcePlan;
}

/** How far ahead of their scheduled time records are written into the log. */
export interface WriteAhead {
  /** Each pump writes the records scheduled up to this long after it (µs). */
  aheadUs: number;
  /** At most this many records are written and not yet published (a power of two): bounds the memory and the work of a pump. */
  records: number;
}

/** The default: a millisecond ahead, at most 32 768 records (at 20M records/s, 1.6 ms). */
export const WRITE_AHEAD: WriteAhead = { aheadUs: 1000, records: 1 << 15 };

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
  /** Final (published) end offset of each partition. */
  ends: number[];
  /** Lag histogram, compressed base64 (measurement window only). */
  lagHistogram: Histogram;
  /** Records appended per bucket of scheduled time. */
  input: Timeline;
}

/** No record is held back. */
const NONE = Infinity;
/** Keys up to this many have their partition in a table (2 bytes a key); a larger key's partition is a division. */
const PARTITION_TABLE_KEYS = 1 << 16;
const CONTENT = 0;
const ARRIVAL = 1;
const HELD_US = 0;
const HELD_KEY = 1;
const HELD_VALUE = 2;
const HELD_EVENT_TIME = 3;
const HELD_INDEX = 4;
const OFFERED = 0;
const APPENDED = 1;
const OFFERED_TOTAL = 2;
const DROPPED = 3;

/** Schedules and appends records; call {@link pump} with the current time. */
export class LoadGenerator {
  private readonly partitions: number;
  private readonly capacity: number;
  private readonly keySampler: KeySampler | undefined;
  /** Partition of each key (`key mod partitions`): a load instead of an integer division per record. */
  private readonly partitionOf: Uint16Array;
  /**
   * Per partition, the scheduled times of its records by offset: the event time column itself
   * when every event time is its scheduled time, else a ring of the records written ahead.
   */
  private readonly times: Float64Array;
  private readonly timesStride: number;
  private readonly timesMask: number;
  /** Scheduled times of the records written ahead, all partitions, in schedule order (a ring of `maxAhead`). */
  private readonly order: Float64Array;
  /** Ring index of the first record written ahead, and how many are. */
  private orderHead = 0;
  private staged = 0;
  private readonly maxAhead: number;
  /** Per partition: the next offset to write (records written ahead included). */
  private readonly writeEnds: Int32Array;
  /** Per partition: the end offset released so far (published at the end of each pump). */
  private readonly ends: Int32Array;
  private readonly published: Int32Array;
  /** Free slots per partition, refreshed from the committed offsets at each pump. */
  private readonly room: Int32Array;
  /** Drops of the current pump per partition, published to the log once per pump. */
  private readonly droppedNow: Int32Array;
  /*
   * Numbers that change as records go are kept in typed arrays or in fields that start as
   * doubles: a field going from small integer to double (a time, a value, a count past 2^30)
   * changes the object's shape, and V8's on-stack-replaced loops then deoptimise on every call.
   */
  /** The record drawn ahead that had no free slot, held back until its time: [scheduled time (NONE: none), key, value, event time, index in the schedule]. */
  private readonly held = Float64Array.of(NONE, 0, 0, 0, 0);
  /** [0]: the scheduled time of the next record to draw; [1]: its index in the schedule (every share's records counted). */
  private readonly cursor = new Float64Array(2);
  /** mulberry32 states: [0] of the content (keys, values, skews), [1] of the arrivals (Poisson gaps). */
  private readonly rng = new Int32Array(2);
  private nextDue = NaN;
  private meanGapUs = NaN;
  private meanGapValidUntilUs = -Infinity;
  /** [OFFERED, APPENDED, OFFERED_TOTAL, DROPPED], as in {@link GeneratorReport}. */
  private readonly counts = new Float64Array(4);
  /** Lags below {@link UNIT_RESOLUTION_LIMIT} µs, counted per µs; written into the histogram at the end. */
  private readonly lagCounts = new Float64Array(UNIT_RESOLUTION_LIMIT);
  private readonly lag: RunLengthRecorder;
  private readonly input: Timeline;
  /** Per log slot, the index in the schedule of the record there (broker runs: re-sent records are recognised by it). */
  private readonly recordIndex: Float64Array | undefined;
  private inputBucketEndUs = -Infinity;
  private inputBucketAtUs = NaN;
  private inputCount = 0;
  /** A record query's source: writes each record's fields beside the log (absent for scalar records). */
  private readonly records: RecordWriter | undefined;

  constructor(
    private readonly log: SourceLog,
    private readonly plan: GeneratorPlan,
    lagHistogram: Histogram = createHistogram(),
    private readonly ahead: WriteAhead = WRITE_AHEAD,
  ) {
    const partitions = (this.partitions = log.partitions);
    this.capacity = log.capacity;
    this.rng[CONTENT] = new Random(plan.seed).state;
    this.rng[ARRIVAL] = new Random(plan.seed ^ 0x5eed).state;
    this.keySampler = plan.keyDistribution ? new KeySampler(plan.keyDistribution, plan.keys) : undefined;
    this.partitionOf = Uint16Array.from({ length: Math.min(plan.keys, PARTITION_TABLE_KEYS) }, (_, key) => key % partitions);
    this.maxAhead = 2 ** Math.ceil(Math.log2(Math.max(1, ahead.records)));
    this.order = new Float64Array(this.maxAhead);
    if (plan.outOfOrder) {
      this.times = new Float64Array(partitions * this.maxAhead);
      this.timesStride = this.maxAhead;
    } else {
      this.times = log.eventTime;
      this.timesStride = log.capacity;
    }
    this.timesMask = this.timesStride - 1;
    this.writeEnds = Int32Array.from({ length: partitions }, (_, p) => log.end(p));
    this.ends = this.writeEnds.slice();
    this.published = this.writeEnds.slice();
    this.room = new Int32Array(partitions);
    this.droppedNow = new Int32Array(partitions);
    this.lag = new RunLengthRecorder(lagHistogram);
    this.input = new Timeline(plan.measureStartUs, plan.bucketUs, plan.buckets);
    this.recordIndex = plan.recordIndex ? new Float64Array(plan.recordIndex) : undefined;
    this.records = plan.records ? new RecordWriter(plan.records) : undefined;
    this.cursor[0] = this.nextDue = plan.startUs;
  }

  /** Scheduled time of the next record not yet published, or Infinity once the schedule is exhausted. */
  get nextDueUs(): number {
    return this.nextDue < this.plan.endUs ? this.nextDue : Infinity;
  }

  get done(): boolean {
    return this.nextDueUs === Infinity;
  }

  /** Records written into the log ahead of their time and not yet published (at most `ahead.records`, rounded up to a power of two). */
  get writtenAhead(): number {
    return this.staged;
  }

  /** The profile's offered rate (records/s) at `atUs` on the run clock. */
  rateAtUs(atUs: number): number {
    return rateAt(this.plan.profile, atUs - this.plan.startUs);
  }

  /**
   * Publishes every record scheduled at or before `nowUs` (deciding, for those not written
   * ahead, whether the ring has room), then writes ahead the records of the next `aheadUs`;
   * returns how many records were due.
   */
  pump(nowUs: number): number {
    const { log, plan, room } = this;
    for (let p = 0; p < this.partitions; p++) room[p] = this.capacity - (this.writeEnds[p] - log.committed(p));
    let due = this.held[HELD_US] <= nowUs ? this.releaseHeld() : 0;
    for (;;) {
      due += this.release(nowUs);
      // (a record held back is not due: it and the next to draw are after `nowUs`)
      if (this.cursor[0] > nowUs || this.cursor[0] >= plan.endUs) break;
      due += this.draw(nowUs, true);
    }
    for (let p = 0; p < this.partitions; p++) {
      if (this.ends[p] !== this.published[p]) log.publish(p, (this.published[p] = this.ends[p]));
      if (this.droppedNow[p] > 0) log.addDropped(p, this.droppedNow[p]);
    }
    this.droppedNow.fill(0);
    if (this.held[HELD_US] === NONE) this.draw(nowUs + this.ahead.aheadUs, false);
    // The first record not published: the earliest written ahead, else the held one, else the next to draw.
    this.nextDue = this.staged > 0 ? this.order[this.orderHead] : Math.min(this.held[HELD_US], this.cursor[0]);
    return due;
  }

  /** Marks every partition finished and returns the report. Call once {@link done} (records written ahead but never published stay invisible and uncounted). */
  finish(): GeneratorReport {
    for (let p = 0; p < this.log.partitions; p++) this.log.markFinished(p);
    const histogram = this.lag.histogram;
    for (let lagUs = 0; lagUs < UNIT_RESOLUTION_LIMIT; lagUs++) if (this.lagCounts[lagUs] > 0) histogram.recordValueWithCount(lagUs, this.lagCounts[lagUs]);
    this.lagCounts.fill(0);
    this.lag.flush();
    this.flushInputCount();
    return {
      offered: this.counts[OFFERED],
      appended: this.counts[APPENDED],
      offeredTotal: this.counts[OFFERED_TOTAL],
      dropped: this.counts[DROPPED],
      ends: Array.from(this.ends),
      lagHistogram: histogram,
      input: this.input,
    };
  }

  /**
   * Draws the records scheduled up to `limitUs` and writes each into its partition's next
   * slot. A record without a free slot is dropped when it is due (`due`), or held back (and
   * drawing stops) when it is drawn ahead of its time. Returns the records dropped.
   */
  private draw(limitUs: number, due: boolean): number {
    const { plan, log, room, writeEnds, times, timesStride, timesMask, order, keySampler, partitionOf, droppedNow, maxAhead, cursor, rng } = this;
    const { endUs, measureStartUs, valueRange, outOfOrder } = plan;
    const tableKeys = partitionOf.length;
    const poisson = plan.arrivals === 'poisson';
    const partitions = this.partitions;
    const capacity = this.capacity;
    const mask = capacity - 1;
    const orderMask = maxAhead - 1;
    const eventTimes = log.eventTime;
    const keys = log.key;
    const values = log.value;
    // Random.nextUint32 inline (a local constant; an imported one costs a load per use).
    const step = 0x6d2b79f5;
    // floor(u32 / 2^32 · n) as Random.below draws it: u32 · (n / 2^32) is the same single
    // rounding of the same exact product, and `| 0` the same floor below 2^31.
    const keyScale = plan.keys / 4294967296;
    const valueScale = valueRange / 4294967296;
    let content = rng[CONTENT];
    let arrival = rng[ARRIVAL];
    let staged = this.staged;
    let tail = this.orderHead + staged;
    let dropped = 0;
    let droppedMeasured = 0;
    let holding = false;
    let scheduledUs = cursor[0];
    let index = cursor[1];
    const recordIndex = this.recordIndex;
    const records = this.records;
    const shares = plan.share?.count ?? 1;
    const share = plan.share?.index ?? 0;
    while (!holding && scheduledUs <= limitUs && scheduledUs < endUs && staged < maxAhead) {
      // One stretch at one mean gap: from this record (whatever the rounding of the rate
      // change's time) up to the profile's next rate change.
      if (scheduledUs >= this.meanGapValidUntilUs) this.updateMeanGap(scheduledUs);
      const gapUs = this.meanGapUs;
      const stretchEndUs = Math.min(endUs, this.meanGapValidUntilUs);
      do {
        let nextUs: number;
        if (poisson) {
          arrival = (arrival + step) | 0;
          let t = arrival;
          t = Math.imul(t ^ (t >>> 15), t | 1);
          t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          nextUs = scheduledUs + -Math.log(1 - ((t ^ (t >>> 14)) >>> 0) / 4294967296) * gapUs;
        } else {
          nextUs = scheduledUs + gapUs;
        }
        // Record i's content depends on the seed (and the scenario) alone, never on timing: the
        // draws of `Random.below` (key, value) and `Random.next` (skew, delay), in that order.
        content = (content + step) | 0;
        let t = content;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const keyBits = (t ^ (t >>> 14)) >>> 0;
        let key = keySampler === undefined ? (keyBits * keyScale) | 0 : keySampler.keyFor(keyBits / 4294967296);
        content = (content + step) | 0;
        t = content;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const value = (((t ^ (t >>> 14)) >>> 0) * valueScale) | 0;
        let eventTimeUs = scheduledUs;
        if (outOfOrder) {
          content = (content + step) | 0;
          const skewDraw = mulberry32(content) / 4294967296;
          content = (content + step) | 0;
          const delayDraw = mulberry32(content) / 4294967296;
          if (skewDraw < outOfOrder.fraction) eventTimeUs -= delayDraw * outOfOrder.maxDelayMs * 1000;
        }
        // Another generator's record (a shared schedule): drawn, so the content stream stays the same, and skipped.
        if (shares !== 1 && index % shares !== share) {
          index++;
          scheduledUs = nextUs;
          continue;
        }
        // A record query's record: generated here (its key is its partitioning key), written into its columns below.
        if (records !== undefined) key = records.prepare(index, eventTimeUs);
        const partition = key < tableKeys ? partitionOf[key] : key % partitions;
        if (room[partition] <= 0 || (records !== undefined && !records.write(partition, writeEnds[partition], log.committed(partition)))) {
          if (!due) {
            const held = this.held;
            held[HELD_US] = scheduledUs;
            held[HELD_KEY] = key;
            held[HELD_VALUE] = value;
            held[HELD_EVENT_TIME] = eventTimeUs;
            held[HELD_INDEX] = index++;
            scheduledUs = nextUs;
            holding = true;
            break;
          }
          dropped++;
          if (scheduledUs >= measureStartUs) droppedMeasured++;
          droppedNow[partition]++;
          index++;
          scheduledUs = nextUs;
          continue;
        }
        const offset = writeEnds[partition];
        const slot = partition * capacity + (offset & mask);
        eventTimes[slot] = eventTimeUs;
        keys[slot] = key;
        values[slot] = value;
        if (recordIndex !== undefined) recordIndex[slot] = index;
        index++;
        if (outOfOrder) times[partition * timesStride + (offset & timesMask)] = scheduledUs;
        order[tail & orderMask] = scheduledUs;
        tail++;
        writeEnds[partition] = offset + 1;
        room[partition]--;
        staged++;
        scheduledUs = nextUs;
      } while (scheduledUs <= limitUs && scheduledUs < stretchEndUs && staged < maxAhead);
    }
    cursor[0] = scheduledUs;
    cursor[1] = index;
    rng[CONTENT] = content;
    rng[ARRIVAL] = arrival;
    this.staged = staged;
    const counts = this.counts;
    counts[OFFERED_TOTAL] += dropped;
    counts[OFFERED] += droppedMeasured;
    counts[DROPPED] += dropped;
    return dropped;
  }

  /** Decides the held-back record, now due: written if its partition has a free slot by now, else dropped. Returns the records dropped. */
  private releaseHeld(): number {
    const { held, counts } = this;
    const scheduledUs = held[HELD_US];
    const key = held[HELD_KEY];
    const partition = key % this.partitions;
    held[HELD_US] = NONE;
    const records = this.records;
    if (records !== undefined) records.prepare(held[HELD_INDEX], held[HELD_EVENT_TIME]);
    if (this.room[partition] <= 0 || (records !== undefined && !records.write(partition, this.writeEnds[partition], this.log.committed(partition)))) {
      counts[OFFERED_TOTAL]++;
      if (scheduledUs >= this.plan.measureStartUs) counts[OFFERED]++;
      counts[DROPPED]++;
      this.droppedNow[partition]++;
      return 1;
    }
    const { log } = this;
    const offset = this.writeEnds[partition];
    const slot = log.slot(partition, offset);
    log.eventTime[slot] = held[HELD_EVENT_TIME];
    log.key[slot] = key;
    log.value[slot] = held[HELD_VALUE];
    if (this.recordIndex !== undefined) this.recordIndex[slot] = held[HELD_INDEX];
    this.times[partition * this.timesStride + (offset & this.timesMask)] = scheduledUs;
    this.order[(this.orderHead + this.staged) & (this.maxAhead - 1)] = scheduledUs;
    this.writeEnds[partition] = offset + 1;
    this.room[partition]--;
    this.staged++;
    return 0;
  }

  /**
   * Releases the records written ahead that are scheduled at or before `nowUs` (they are
   * published at the end of the pump) and counts them, in schedule order: by stretches of one
   * input bucket (or of warm-up), and their lags by runs of one lag in whole µs (the
   * histogram's resolution there), so the work is per run, not per record. Returns how many
   * were released.
   */
  private release(nowUs: number): number {
    const { order, staged, counts } = this;
    const orderMask = this.maxAhead - 1;
    const head = this.orderHead;
    const count = firstAfter(order, 0, head, orderMask, 0, staged, nowUs);
    if (count === 0) return 0;
    const measureStartUs = this.plan.measureStartUs;
    // Records per µs over what is released: where to look first for the end of each run.
    const spanUs = order[(head + count - 1) & orderMask] - order[head];
    const perUs = spanUs > 0 ? (count - 1) / spanUs : 0;
    let i = 0;
    while (i < count) {
      const firstUs = order[(head + i) & orderMask];
      const measured = firstUs >= measureStartUs;
      const edgeUs = measured ? this.inputBucketEnd(firstUs) : measureStartUs;
      const stretchEnd = edgeUs > nowUs ? count : firstAtOrAbove(order, 0, head, orderMask, i, count, edgeUs);
      if (measured) {
        for (let j = i; j < stretchEnd; ) {
          const scheduledUs = order[(head + j) & orderMask];
          const lagUs = Math.floor(nowUs - scheduledUs);
          // The run: the records after this one up to `sameLagUntilUs` have its lag µs.
          const sameLagUntilUs = nowUs - lagUs;
          let k = Math.min(stretchEnd, j + 1 + Math.max(0, Math.floor((sameLagUntilUs - scheduledUs) * perUs)));
          while (k < stretchEnd && order[(head + k) & orderMask] <= sameLagUntilUs) k++;
          while (k > j + 1 && order[(head + k - 1) & orderMask] > sameLagUntilUs) k--;
          if (lagUs < UNIT_RESOLUTION_LIMIT) this.lagCounts[lagUs] += k - j;
          else this.lag.record(lagUs, k - j);
          j = k;
        }
        counts[OFFERED] += stretchEnd - i;
        counts[APPENDED] += stretchEnd - i;
        this.inputCount += stretchEnd - i;
      }
      counts[OFFERED_TOTAL] += stretchEnd - i;
      i = stretchEnd;
    }
    this.orderHead = (head + count) & orderMask;
    this.staged = staged - count;
    // Each partition's end: past its written records scheduled by now (in offset order, by schedule).
    const { times, timesStride, timesMask, ends, writeEnds } = this;
    for (let p = 0; p < this.partitions; p++) ends[p] += firstAfter(times, p * timesStride, ends[p], timesMask, 0, writeEnds[p] - ends[p], nowUs);
    return count;
  }

  /**
   * The end of the input bucket of `scheduledUs` (a measured time, never before the last one:
   * records are released in schedule order); the counts of the bucket before are added to the
   * timeline first.
   */
  private inputBucketEnd(scheduledUs: number): number {
    if (scheduledUs < this.inputBucketEndUs) return this.inputBucketEndUs;
    this.flushInputCount();
    const { measureStartUs, bucketUs } = this.plan;
    this.inputBucketEndUs = measureStartUs + (Math.floor((scheduledUs - measureStartUs) / bucketUs) + 1) * bucketUs;
    this.inputBucketAtUs = scheduledUs;
    return this.inputBucketEndUs;
  }

  private flushInputCount(): void {
    if (this.inputCount > 0) this.input.add(this.inputBucketAtUs, this.inputCount);
    this.inputCount = 0;
  }

  /** The mean gap at `atUs`; recomputed only when the profile's rate changes. */
  private updateMeanGap(atUs: number): void {
    const t = atUs - this.plan.startUs;
    this.meanGapUs = 1e6 / rateAt(this.plan.profile, t);
    this.meanGapValidUntilUs = this.plan.startUs + nextRateChangeUs(this.plan.profile, t);
  }
}

/**
 * In a sorted stretch of a ring, `array[base + ((start + k) & mask)]` for k in [from, to): the
 * first k whose time is after `timeUs` (`to` if none), by bisection.
 */
function firstAfter(array: Float64Array, base: number, start: number, mask: number, from: number, to: number, timeUs: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (array[base + ((start + mid) & mask)] > timeUs) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** As {@link firstAfter}, the first k whose time is at or after `timeUs`. */
function firstAtOrAbove(array: Float64Array, base: number, start: number, mask: number, from: number, to: number, timeUs: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (array[base + ((start + mid) & mask)] >= timeUs) high = mid;
    else low = mid + 1;
  }
  return low;
}
