/**
 * Sentences for wordcount: record n is a sentence of 4 .. 16 words drawn from a 64-word
 * English vocabulary with Zipf-like frequencies (weight 1/rank), its first word capitalised,
 * a comma after one word in 8, a full stop at the end — a pure function of (seed, n), like
 * the Nexmark generator, stamped with its scheduled time (default: `n × 10⁶ / rate` µs).
 */
import { EventRandom } from '../nexmark/event-random.js';

/** The vocabulary, most frequent first. */
export const SENTENCE_VOCABULARY: readonly string[] = (
  'the of and to in is it that was for on are with as his they be at one have this from or had by hot word but what some ' +
  'we can out other were all there when up use your how said an each she which do their time if will way about many then ' +
  'them write would like so these her long make thing see'
).split(' ');

/** A sentence record. */
export interface SentenceRecord {
  readonly dateTimeUs: number;
  readonly text: string;
}

/** A seeded generator of sentences. */
export class SentenceGenerator {
  private readonly random = new EventRandom();
  private readonly cumulative: Float64Array;

  constructor(
    readonly seed = 1,
    readonly ratePerSec = 10_000,
  ) {
    this.cumulative = new Float64Array(SENTENCE_VOCABULARY.length);
    let sum = 0;
    for (let rank = 0; rank < SENTENCE_VOCABULARY.length; rank++) this.cumulative[rank] = sum += 1 / (rank + 1);
  }

  /** Record `n`, stamped `dateTimeUs` (default its nominal time). */
  recordAt(n: number, dateTimeUs = Math.floor((n * 1e6) / this.ratePerSec)): SentenceRecord {
    const random = this.random.reseed(this.seed ^ 0x53454e54, n);
    const words = 4 + random.nextInt(13);
    let text = '';
    for (let i = 0; i < words; i++) {
      let word = this.word(random.nextDouble());
      if (i === 0) word = word[0].toUpperCase() + word.slice(1);
      text += i === 0 ? word : ` ${word}`;
      if (i < words - 1 && random.nextInt(8) === 0) text += ',';
    }
    return { dateTimeUs, text: `${text}.` };
  }

  private word(u: number): string {
    const target = u * this.cumulative[this.cumulative.length - 1];
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid] <= target) low = mid + 1;
      else high = mid;
    }
    return SENTENCE_VOCABULARY[low];
  }
}
