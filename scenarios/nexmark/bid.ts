/**
 * Nexmark's bids, after `BidGenerator.java` (Beam's and nexmark/nexmark's Flink one): with
 * chance 1 − 1/hotAuctionRatio a bid is for a hot auction (the first of the last batch of 100
 * auctions), else for a random in-flight one; with chance 1 − 1/hotBiddersRatio it is by a hot
 * bidder (the second person of the last batch of 100, so hot bidders are not hot sellers),
 * else by a random active person; a log-uniform price; a channel and url (`channels.ts`);
 * `extra` pads it to the average bid size. Draws in Nexmark's order. Followed Beam in adding
 * `FIRST_PERSON_ID` to the bidder once (the Flink generator adds it twice).
 */
import { lastBase0AuctionId, nextBase0AuctionId } from './auction.js';
import { channel, HOT_CHANNELS, CHANNELS_NUMBER, hotChannelUrl } from './channels.js';
import { FIRST_AUCTION_ID, FIRST_PERSON_ID, type ResolvedNexmarkConfig } from './generator-config.js';
import type { EventRandom } from './event-random.js';
import type { Bid } from './model.js';
import { lastBase0PersonId, nextBase0PersonId } from './person.js';
import { nextExtra, nextPrice } from './strings.js';

/** Hot auctions are the first of each batch of this many (`HOT_AUCTION_RATIO`). */
export const HOT_AUCTION_BATCH = 100;
/** Hot bidders are the second of each batch of this many people (`HOT_BIDDER_RATIO`). */
export const HOT_BIDDER_BATCH = 100;
/** One bid in this many is from a channel that is not hot (`HOT_CHANNELS_RATIO`). */
export const HOT_CHANNELS_RATIO = 2;

/** The bid of event `eventId` (its draws from `random`, already seeded for the event). */
export function nextBid(config: ResolvedNexmarkConfig, eventId: number, random: EventRandom, pool: string, dateTimeUs: number): Bid {
  const auction =
    (random.nextInt(config.hotAuctionRatio) > 0
      ? Math.floor(lastBase0AuctionId(config, eventId) / HOT_AUCTION_BATCH) * HOT_AUCTION_BATCH
      : nextBase0AuctionId(config, eventId, random)) + FIRST_AUCTION_ID;
  const bidder =
    (random.nextInt(config.hotBiddersRatio) > 0
      ? Math.floor(lastBase0PersonId(config, eventId) / HOT_BIDDER_BATCH) * HOT_BIDDER_BATCH + 1
      : nextBase0PersonId(config, eventId, random)) + FIRST_PERSON_ID;
  const price = nextPrice(random);
  let channelName: string;
  let url: string;
  if (random.nextInt(HOT_CHANNELS_RATIO) > 0) {
    const i = random.nextInt(HOT_CHANNELS.length);
    channelName = HOT_CHANNELS[i];
    url = hotChannelUrl(config.seed, i);
  } else {
    const picked = channel(config.seed, random.nextInt(CHANNELS_NUMBER));
    channelName = picked.name;
    url = picked.url;
  }
  const extra = nextExtra(random, pool, 8 + 8 + 8 + 8, config.avgBidByteSize);
  return { kind: 'bid', auction, bidder, price, channel: channelName, url, dateTimeUs, extra };
}
