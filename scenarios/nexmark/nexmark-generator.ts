/**
 * The Nexmark event generator: `eventAt(n)` is event number n, a Person, an Auction or a
 * Bid, as a pure function of (config, n) — after Beam's Nexmark `Generator.nextEvent`, which
 * seeds each event's draws with its id. Event n's type is decided by `n mod 50` against the
 * proportions 1:3:46 (person, auction, bid), and the ids it names are computed from n as
 * Nexmark's `PersonGenerator`/`AuctionGenerator`/`BidGenerator` compute them, so any thread
 * can generate any range of events, in any order, and agree.
 *
 * An event's time is the time it is scheduled at: the caller passes it (the load generator's
 * schedule, from the scenario's rate profile), or it defaults to Nexmark's nominal schedule
 * (`baseTimeUs + n × 10⁶ / firstEventRate`). See `generator-config.ts` for what is followed
 * and simplified.
 */
import { EventRandom } from './event-random.js';
import { resolveNexmarkConfig, timestampUs, type NexmarkConfig, type ResolvedNexmarkConfig } from './generator-config.js';
import type { NexmarkEvent, NexmarkEventKind } from './model.js';
import { nextAuction } from './auction.js';
import { nextBid } from './bid.js';
import { nextPerson } from './person.js';
import { extraPool } from './strings.js';

/** A seeded, deterministic Nexmark event generator. */
export class NexmarkGenerator {
  readonly config: ResolvedNexmarkConfig;
  private readonly random = new EventRandom();
  private readonly pool: string;

  constructor(config: Partial<NexmarkConfig> = {}) {
    this.config = resolveNexmarkConfig(config);
    this.pool = extraPool(this.config.seed);
  }

  /** The type of event `eventNumber`, without generating it. */
  kindAt(eventNumber: number): NexmarkEventKind {
    const rem = eventNumber % this.config.totalProportion;
    if (rem < this.config.personProportion) return 'person';
    return rem < this.config.personProportion + this.config.auctionProportion ? 'auction' : 'bid';
  }

  /** The nominal event time of event `eventNumber` (µs). */
  timestampUs(eventNumber: number): number {
    return timestampUs(this.config, eventNumber);
  }

  /** Event `eventNumber` (a non-negative integer), stamped `dateTimeUs` (default: its nominal time). */
  eventAt(eventNumber: number, dateTimeUs = timestampUs(this.config, eventNumber)): NexmarkEvent {
    if (!Number.isSafeInteger(eventNumber) || eventNumber < 0) throw new RangeError(`nexmark event number must be a non-negative integer (got ${eventNumber})`);
    const random = this.random.reseed(this.config.seed, eventNumber);
    const kind = this.kindAt(eventNumber);
    if (kind === 'person') return nextPerson(this.config, eventNumber, random, this.pool, dateTimeUs);
    if (kind === 'auction') return nextAuction(this.config, eventNumber, random, this.pool, dateTimeUs);
    return nextBid(this.config, eventNumber, random, this.pool, dateTimeUs);
  }
}
