/**
 * The Nexmark generator's configuration, after Nexmark's `GeneratorConfig.java` and the
 * defaults of `NexmarkConfiguration.java` (nexmark/nexmark, Flink; the same numbers as Beam's
 * `NexmarkConfiguration`): proportions 1:3:46 per 50 events, average sizes 200/500/100 bytes,
 * hot ratios 2 (auctions), 4 (sellers), 4 (bidders), 1000 active people, 100 auctions in
 * flight, a first event rate of 10 000 events/s.
 *
 * Followed: the proportions decide an event's type from its id (`id mod total`), and the
 * nominal rate gives the default schedule (`timestampUs`, Nexmark's `timestampForEvent`) and
 * the horizon auction lengths are drawn from. Simplified: the event id is the event number
 * (Nexmark's `firstEventId` 0 and `outOfOrderGroupSize` 1, its defaults); one nominal rate
 * (no rate shapes: the benchmark's rate profile schedules events, and an event's time is the
 * time it is scheduled at); no delayed events, no generator splitting; a `seed` is added
 * (Nexmark seeds each event's draws with its id alone).
 */

/** What a Nexmark generator draws from. */
export interface NexmarkConfig {
  /** Seeds every draw, together with the event id. */
  readonly seed: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  /** Average bytes of a person (Nexmark's estimate: 8 per number + string lengths); `extra` pads to it. */
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  /** 1 − 1/ratio of bids go to a hot auction. */
  readonly hotAuctionRatio: number;
  /** 1 − 1/ratio of auctions are by a hot seller. */
  readonly hotSellersRatio: number;
  /** 1 − 1/ratio of bids are by a hot bidder. */
  readonly hotBiddersRatio: number;
  /** People a non-hot auction or bid picks from (the most recent ones). */
  readonly numActivePeople: number;
  /** Auctions a non-hot bid picks from (the most recent ones). */
  readonly numInFlightAuctions: number;
  /** Nominal events per second: the default schedule and the auction-length horizon. */
  readonly firstEventRate: number;
  /** Event time of event 0 in the default schedule (µs). */
  readonly baseTimeUs: number;
}

/** A {@link NexmarkConfig} with the values derived from it. */
export interface ResolvedNexmarkConfig extends NexmarkConfig {
  readonly totalProportion: number;
  /** Microseconds between events at the nominal rate. */
  readonly interEventDelayUs: number;
}

/** Nexmark's defaults (`NexmarkConfiguration.java`), seed 1. */
export const NEXMARK_DEFAULTS: NexmarkConfig = {
  seed: 1,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  hotAuctionRatio: 2,
  hotSellersRatio: 4,
  hotBiddersRatio: 4,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
  firstEventRate: 10_000,
  baseTimeUs: 0,
};

/** Nexmark's first ids and category (`GeneratorConfig.FIRST_*`). */
export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;

/** Fills in Nexmark's defaults and checks every count is a positive integer. */
export function resolveNexmarkConfig(overrides: Partial<NexmarkConfig> = {}): ResolvedNexmarkConfig {
  const config = { ...NEXMARK_DEFAULTS, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (name === 'seed' || name === 'baseTimeUs') {
      if (!Number.isFinite(value)) throw new RangeError(`nexmark config: ${name} must be a finite number (got ${value})`);
    } else if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`nexmark config: ${name} must be a positive integer (got ${value})`);
    }
  }
  return Object.freeze({
    ...config,
    totalProportion: config.personProportion + config.auctionProportion + config.bidProportion,
    interEventDelayUs: 1e6 / config.firstEventRate,
  });
}

/** The event time of event `eventNumber` in the nominal schedule (µs, whole). */
export function timestampUs(config: ResolvedNexmarkConfig, eventNumber: number): number {
  return config.baseTimeUs + Math.floor(eventNumber * config.interEventDelayUs);
}

/** Nexmark's `timestampForEvent`, relative to the base time: whole milliseconds. */
export function timestampMs(config: ResolvedNexmarkConfig, eventNumber: number): number {
  return Math.floor((eventNumber * config.interEventDelayUs) / 1000);
}
