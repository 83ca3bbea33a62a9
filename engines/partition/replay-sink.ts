/**
 * The measuring sink of one output class in a replacement task. A failed attempt delivered
 * some outputs after its last snapshot; the replacement resumes from that snapshot and
 * produces them again, in the same order (per class, outputs are produced in offset order in
 * every attempt), so its first N outputs of the class are duplicates, N being how many the
 * failed attempt had delivered. It counts them and their digest as they are produced.
 */
import { mergeDigests, MeasuringSink, type OutputDigest } from './measuring-sink.js';

/** A measuring sink that counts the replay's first outputs, those an earlier attempt had delivered, as duplicates. */
export class ReplayingMeasuringSink extends MeasuringSink {
  /** Output records produced again that an earlier attempt had delivered (one per earlier delivery). */
  duplicates = 0;
  /** Their digest. */
  duplicateDigest: OutputDigest = { count: 0, sumA: 0, sumB: 0 };
  /** How many outputs from the resume point each earlier attempt delivered, ascending. */
  private readonly redelivered: number[];
  private next = 0;

  /**
   * @param redelivered for each earlier attempt whose deliveries this replay repeats, how
   *   many of this class's outputs after the resume point it had delivered
   */
  constructor(redelivered: readonly number[], ...parts: ConstructorParameters<typeof MeasuringSink>) {
    super(...parts);
    this.redelivered = redelivered.filter((count) => count > 0).sort((a, b) => a - b);
  }

  override push(eventTimeUs: number, key: number, value: number): void {
    super.push(eventTimeUs, key, value);
    // The digest started at zero at the resume point: at the N-th output it is the digest of the first N.
    while (this.next < this.redelivered.length && this.digest.count === this.redelivered[this.next]) {
      this.duplicateDigest = mergeDigests([this.duplicateDigest, this.digest]);
      this.duplicates += this.digest.count;
      this.next++;
    }
  }

  /** The counts not reached yet, from the current output on (what a snapshot taken now must carry). */
  redeliveredPending(): number[] {
    return this.redelivered.slice(this.next).map((count) => count - this.digest.count);
  }
}
