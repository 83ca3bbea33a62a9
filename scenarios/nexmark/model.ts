/**
 * Nexmark's three event types, as plain objects (the reference side: tests and the reference
 * evaluator build and compare these; the hot path reads the same fields from columns,
 * `event-columns.ts`). Field names follow Nexmark's `model/Person.java`, `Auction.java` and
 * `Bid.java` (nexmark/nexmark, Flink); times are microseconds (Nexmark's are epoch
 * milliseconds), on the benchmark's clock: an event's `dateTimeUs` is its scheduled time.
 */

/** A new person registering: Nexmark's Person. */
export interface Person {
  readonly kind: 'person';
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly creditCard: string;
  readonly city: string;
  readonly state: string;
  readonly dateTimeUs: number;
  readonly extra: string;
}

/** A new auction: Nexmark's Auction. */
export interface Auction {
  readonly kind: 'auction';
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  readonly dateTimeUs: number;
  readonly expiresUs: number;
  readonly seller: number;
  readonly category: number;
  readonly extra: string;
}

/** A bid on an auction: Nexmark's Bid (with the channel and url of nexmark/nexmark's Flink model). */
export interface Bid {
  readonly kind: 'bid';
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  readonly dateTimeUs: number;
  readonly extra: string;
}

/** One Nexmark event. */
export type NexmarkEvent = Person | Auction | Bid;

/** The kind of a Nexmark event. */
export type NexmarkEventKind = NexmarkEvent['kind'];
