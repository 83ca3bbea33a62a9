/**
 * Nexmark's auctions, after `AuctionGenerator.java` (nexmark/nexmark, Flink; the same in
 * Beam): an auction's id is the count of auction slots up to its event id; its seller is,
 * with chance 1 − 1/hotSellersRatio, a hot seller (the first of the last batch of 100 people),
 * else a random active person; 5 categories from 10; an initial bid and a reserve above it;
 * a random item name and description; it expires after 1 ms .. twice the time until
 * `numInFlightAuctions` more auctions are due at the nominal rate; `extra` pads it to the
 * average auction size. A bid picks an auction among the last `numInFlightAuctions`, or up to
 * 10 ahead (`AUCTION_ID_LEAD`).
 */
import { FIRST_AUCTION_ID, FIRST_CATEGORY_ID, FIRST_PERSON_ID, timestampMs, type ResolvedNexmarkConfig } from './generator-config.js';
import type { EventRandom } from './event-random.js';
import type { Auction } from './model.js';
import { lastBase0PersonId, nextBase0PersonId } from './person.js';
import { nextExtra, nextPrice, nextString } from './strings.js';

/** Categories an auction is in (`NUM_CATEGORIES`). */
export const NUM_CATEGORIES = 5;
/** Ids ahead of the last auction a bid may name (`AUCTION_ID_LEAD`). */
export const AUCTION_ID_LEAD = 10;
/** Hot sellers are the first of each batch of this many people (`HOT_SELLER_RATIO`). */
export const HOT_SELLER_BATCH = 100;

/** The last auction id (base 0) at event `eventId`; the current one if the event is an auction. */
export function lastBase0AuctionId(config: ResolvedNexmarkConfig, eventId: number): number {
  let epoch = Math.floor(eventId / config.totalProportion);
  let offset = eventId % config.totalProportion;
  if (offset < config.personProportion) {
    epoch--;
    offset = config.auctionProportion - 1;
  } else if (offset >= config.personProportion + config.auctionProportion) {
    offset = config.auctionProportion - 1;
  } else {
    offset -= config.personProportion;
  }
  return epoch * config.auctionProportion + offset;
}

/** A random in-flight auction id (base 0), possibly up to {@link AUCTION_ID_LEAD} ahead of the last. */
export function nextBase0AuctionId(config: ResolvedNexmarkConfig, eventId: number, random: EventRandom): number {
  const last = lastBase0AuctionId(config, eventId);
  const min = Math.max(last - config.numInFlightAuctions, 0);
  return min + random.nextLong(last - min + 1 + AUCTION_ID_LEAD);
}

/** A random auction length (ms): 1 .. 2 × the time until `numInFlightAuctions` more auctions. */
function nextAuctionLengthMs(config: ResolvedNexmarkConfig, eventNumber: number, random: EventRandom): number {
  const eventsForAuctions = Math.floor((config.numInFlightAuctions * config.totalProportion) / config.auctionProportion);
  const horizonMs = timestampMs(config, eventNumber + eventsForAuctions) - timestampMs(config, eventNumber);
  return 1 + random.nextLong(Math.max(horizonMs * 2, 1));
}

/** The auction of event `eventId` (its draws from `random`, already seeded for the event). */
export function nextAuction(config: ResolvedNexmarkConfig, eventId: number, random: EventRandom, pool: string, dateTimeUs: number): Auction {
  const id = lastBase0AuctionId(config, eventId) + FIRST_AUCTION_ID;
  const seller =
    (random.nextInt(config.hotSellersRatio) > 0
      ? Math.floor(lastBase0PersonId(config, eventId) / HOT_SELLER_BATCH) * HOT_SELLER_BATCH
      : nextBase0PersonId(config, eventId, random)) + FIRST_PERSON_ID;
  const category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
  const initialBid = nextPrice(random);
  const expiresUs = dateTimeUs + nextAuctionLengthMs(config, eventId, random) * 1000;
  const itemName = nextString(random, 20);
  const description = nextString(random, 100);
  const reserve = initialBid + nextPrice(random);
  const currentSize = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
  const extra = nextExtra(random, pool, currentSize, config.avgAuctionByteSize);
  return { kind: 'auction', id, itemName, description, initialBid, reserve, dateTimeUs, expiresUs, seller, category, extra };
}
