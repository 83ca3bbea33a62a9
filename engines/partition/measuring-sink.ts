/**
 * The instant sink at the end of every partition's pipeline. Output records are held until
 * the engine emits them (`flush`: after each record in continuous mode, at the end of the
 * batch task in the batch modes, when the output is committed), and at that emit time it
 * records event-time latency (emit − event time) and processing-time latency (emit − the
 * time the engine first read the input record), into histograms, never per-record arrays
 * (`latency-recorder.ts`; complete after `close()`). It also folds every output record into an
 * order-insensitive digest. Generated code (`engines/codegen/`) appends to its held buffer in
 * line, with the sink's own fragment (`codegen`).
 */
import { encodeHistogram, type Histogram } from '../../primitives/histogram.js';
import type { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import { mix32 } from '../../primitives/random.js';
import type { Timeline } from '../../primitives/timeline.js';
import type { FragmentScope, RecordVars, SinkFragment } from '../operators/fragment.js';
import type { Stage } from '../operators/stage.js';
import { HeldRecords, type HeldRunTarget } from './held-records.js';
import { LatencyRecorder, type MeasurementWindow } from './latency-recorder.js';
import type { SpillLatency } from './spill-latency.js';

/** The digest's per-record hash: `h = mix32(DIGEST_SEED ^ key, value)`, summed as is (sumA) and re-mixed with this multiplier (sumB). */
const DIGEST_SEED = 0x9747b28c;
const DIGEST_MIX_B = 0x2c1b3c6d;

/** An order-insensitive digest: two sums of per-record hashes (mod 2^32) and a count; mergeable by addition. */
export interface OutputDigest {
  count: number;
  sumA: number;
  sumB: number;
}

/** Adds digests (the digest of the union of their outputs). */
export function mergeDigests(parts: readonly OutputDigest[]): OutputDigest {
  let count = 0;
  let sumA = 0;
  let sumB = 0;
  for (const part of parts) {
    count += part.count;
    sumA = (sumA + part.sumA) >>> 0;
    sumB = (sumB + part.sumB) >>> 0;
  }
  return { count, sumA, sumB };
}

/** Folds one output record `(key, value)` into `digest`, as {@link MeasuringSink.push} does (for references computed outside a task). */
export function foldIntoDigest(digest: OutputDigest, key: number, value: number): void {
  const h = mix32(DIGEST_SEED ^ key, value);
  digest.count++;
  digest.sumA = (digest.sumA + h) >>> 0;
  digest.sumB = (digest.sumB + Math.imul(h ^ (h >>> 15), DIGEST_MIX_B)) >>> 0;
}

/** The digest as a string: `count:hashA-hashB`. */
export function formatDigest(digest: OutputDigest): string {
  return `${digest.count}:${digest.sumA.toString(16).padStart(8, '0')}${digest.sumB.toString(16).padStart(8, '0')}`;
}

export type { MeasurementWindow } from './latency-recorder.js';

/** The sink (a `TaskSink` with one class of output). */
export class MeasuringSink implements Stage {
  /** Output records emitted in total, and inside the measurement window. */
  emitted = 0;
  emittedInWindow = 0;
  readonly digest: OutputDigest = { count: 0, sumA: 0, sumB: 0 };
  /** Its one output class: itself. */
  readonly classSinks: readonly MeasuringSink[] = [this];
  /** The records held, not yet emitted (generated code appends to it in line). */
  protected readonly held = new HeldRecords();
  /** What an emit records. */
  private readonly recorder: LatencyRecorder;
  /** Where emitted records go: the recorder (a subclass that records nothing may replace it). */
  protected emitTarget: HeldRunTarget;

  constructor(
    protected readonly window: MeasurementWindow,
    eventTimeHistogram: Histogram,
    processingTimeHistogram: Histogram,
    timeline: Timeline,
    /** Optional: each measured latency is also counted in its bin per bucket (for sliding-window percentiles). */
    latencyBins?: LatencyBinsTimeline,
  ) {
    this.recorder = new LatencyRecorder(window, eventTimeHistogram, processingTimeHistogram, timeline, latencyBins);
    this.emitTarget = this.recorder;
  }

  push(eventTimeUs: number, key: number, value: number): void {
    const h = mix32(DIGEST_SEED ^ key, value);
    const digest = this.digest;
    digest.count++;
    digest.sumA = (digest.sumA + h) >>> 0;
    digest.sumB = (digest.sumB + Math.imul(h ^ (h >>> 15), DIGEST_MIX_B)) >>> 0;
    this.held.push(eventTimeUs);
  }

  finish(): void {}

  /** When the engine first read the records now being pushed; set by the engine per read (batch, stretch, lane pass). */
  get readTimeUs(): number {
    return this.held.readTimeUs;
  }

  set readTimeUs(us: number) {
    this.held.readTimeUs = us;
  }

  /**
   * Whether generated code may append to this sink's buffer itself ({@link codegen}) rather
   * than call `push`: true unless a subclass overrides `push` (a replay's sink counts there).
   */
  get inlinable(): boolean {
    return this.push === MeasuringSink.prototype.push;
  }

  /**
   * {@link push} as generated code (whole-stage codegen, `engines/codegen/`): the digest in
   * locals, the event time appended to the held buffer, exactly as `push` does (the read time
   * is the buffer's current run's, set by the task before the loop).
   */
  codegen(scope: FragmentScope): SinkFragment {
    const held = scope.bind('held', this.held);
    const mix = scope.bind('mix32', mix32);
    const [times, pending, digest, count, sumA, sumB] = ['eventTimes', 'pending', 'digest', 'count', 'sumA', 'sumB'].map((hint) => scope.local(hint));
    const digestName = scope.bind('digest', this.digest);
    return {
      enter: () =>
        [
          `const ${digest} = ${digestName};`,
          `let ${times} = ${held}.eventTimes, ${pending} = ${held}.pending;`,
          `let ${count} = ${digest}.count, ${sumA} = ${digest}.sumA, ${sumB} = ${digest}.sumB;`,
        ].join('\n'),
      code({ t, k, v }: RecordVars): string {
        const h = scope.local('hash');
        return [
          `const ${h} = ${mix}(${scope.literal(DIGEST_SEED)} ^ ${k}, ${v});`,
          `${count}++;`,
          `${sumA} = (${sumA} + ${h}) >>> 0;`,
          `${sumB} = (${sumB} + Math.imul(${h} ^ (${h} >>> 15), ${scope.literal(DIGEST_MIX_B)})) >>> 0;`,
          `if (${pending} === ${times}.length) { ${held}.pending = ${pending}; ${held}.grow(${pending} + 1); ${times} = ${held}.eventTimes; }`,
          `${times}[${pending}++] = ${t};`,
        ].join('\n');
      },
      // The held count goes as an argument: a store of the loop's counter into the buffer here costs the record loop (V8).
      reserve: (outputs) => `${held}.reserve(${outputs}, ${pending}); ${times} = ${held}.eventTimes;`,
      beforeDelivery: () => `${held}.pending = ${pending};`,
      afterDelivery: () => `${pending} = ${held}.pending;`,
      leave: () => `${held}.pending = ${pending}; ${digest}.count = ${count}; ${digest}.sumA = ${sumA}; ${digest}.sumB = ${sumB};`,
    };
  }

  /** Output records held, not yet emitted. */
  get buffered(): number {
    return this.held.size;
  }

  /** Emits every held record at `emitUs`, recording its latencies. */
  flush(emitUs: number): void {
    const held = this.held;
    if (held.size > 0) this.countEmitted(held.take(held.pending, this.emitTarget, emitUs), emitUs);
  }

  /**
   * Emits the `count` oldest held records at `emitUs`, recording their latencies; the rest
   * stay held (a slow sink takes a batch in pieces as its queue makes room).
   */
  flushFirst(count: number, emitUs: number): void {
    const held = this.held;
    if (count > 0 && held.size > 0) this.countEmitted(held.take(held.first + count, this.emitTarget, emitUs), emitUs);
  }

  /** Counts `n` records emitted at `emitUs`. */
  private countEmitted(n: number, emitUs: number): void {
    this.emitted += n;
    if (emitUs >= this.window.measureStartUs && emitUs <= this.window.measureEndUs) this.emittedInWindow += n;
  }

  /** Drops every held record without emitting it (a sink's declared drop policy); returns how many. */
  discardHeld(): number {
    return this.held.discard();
  }

  /** With a memory budget: records each emitted record's event-time latency into `latency` too, by whether the task's spill store was busy while it was in flight. */
  splitBySpill(latency: SpillLatency): void {
    this.recorder.spill = latency;
  }

  /** Records every emit so far into the histograms, the timeline and the latency bins; call before reading any of them. */
  close(): void {
    this.recorder.close();
  }

  /** The latency histograms so far, encoded (after {@link close}). */
  encode(): { eventTime: string; processingTime: string } {
    this.close();
    const { eventTime, processingTime } = this.recorder;
    return { eventTime: encodeHistogram(eventTime.histogram), processingTime: encodeHistogram(processingTime.histogram) };
  }

  /** Frees the histograms (WebAssembly memory); the sink is not used after. */
  destroy(): void {
    this.recorder.eventTime.histogram.destroy();
    this.recorder.processingTime.histogram.destroy();
  }
}
