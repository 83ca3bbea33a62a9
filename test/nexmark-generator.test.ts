/**
 * The Nexmark generator (`scenarios/nexmark/`): pure and seeded, Nexmark's proportions, ids,
 * hot ratios, field domains and average sizes.
 */
import { describe, expect, it } from 'vitest';
import { NexmarkGenerator } from '../scenarios/nexmark/nexmark-generator.js';
import { resolveNexmarkConfig } from '../scenarios/nexmark/generator-config.js';
import { lastBase0AuctionId } from '../scenarios/nexmark/auction.js';
import { lastBase0PersonId, FIRST_NAMES, LAST_NAMES, US_CITIES, US_STATES } from '../scenarios/nexmark/person.js';
import { HOT_CHANNELS, reverseBits32 } from '../scenarios/nexmark/channels.js';
import type { Auction, Bid, NexmarkEvent, Person } from '../scenarios/nexmark/model.js';

const N = 50_000;
const generator = new NexmarkGenerator();
const events: NexmarkEvent[] = Array.from({ length: N }, (_, n) => generator.eventAt(n));
const persons = events.filter((e): e is Person => e.kind === 'person');
const auctions = events.filter((e): e is Auction => e.kind === 'auction');
const bids = events.filter((e): e is Bid => e.kind === 'bid');
const config = generator.config;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('the Nexmark generator is a pure function of (seed, event number)', () => {
  it('gives the same event for the same number, in any order, from any instance', () => {
    const other = new NexmarkGenerator({ seed: 1 });
    for (const n of [49_999, 7, 0, 12_345, 3, 4]) expect(other.eventAt(n)).toEqual(events[n]);
  });

  it('gives other events for another seed, with the same types and ids', () => {
    const other = new NexmarkGenerator({ seed: 2 });
    const person = other.eventAt(0) as Person;
    expect(person.kind).toBe('person');
    expect(person.id).toBe((events[0] as Person).id);
    expect(person.extra).not.toBe((events[0] as Person).extra);
    expect(other.eventAt(5)).not.toEqual(events[5]);
  });

  it('stamps the nominal schedule by default (100 µs apart at 10 000/s), or the time it is given', () => {
    expect(events.slice(0, 4).map((e) => e.dateTimeUs)).toEqual([0, 100, 200, 300]);
    expect(generator.eventAt(10, 123.5).dateTimeUs).toBe(123.5);
    expect(new NexmarkGenerator({ firstEventRate: 1000, baseTimeUs: 5e6 }).timestampUs(3)).toBe(5e6 + 3000);
  });

  it('rejects a bad config and a bad event number, naming them', () => {
    expect(() => resolveNexmarkConfig({ hotAuctionRatio: 0 })).toThrow(/hotAuctionRatio must be a positive integer \(got 0\)/);
    expect(() => resolveNexmarkConfig({ seed: Number.NaN })).toThrow(/seed must be a finite number/);
    expect(() => generator.eventAt(-1)).toThrow(/non-negative integer/);
    expect(() => generator.eventAt(1.5)).toThrow(/non-negative integer/);
  });
});

describe("Nexmark's proportions and ids", () => {
  it('mixes 1 person : 3 auctions : 46 bids in every 50 events, by event number', () => {
    expect([persons.length, auctions.length, bids.length]).toEqual([N / 50, (3 * N) / 50, (46 * N) / 50]);
    expect(events.slice(0, 50).map((e) => e.kind[0]).join('')).toBe(`paaa${'b'.repeat(46)}`);
    expect(generator.kindAt(100)).toBe('person');
    expect(generator.kindAt(103)).toBe('auction');
    expect(generator.kindAt(104)).toBe('bid');
  });

  it('numbers persons and auctions consecutively from 1000', () => {
    expect(persons.map((p) => p.id)).toEqual(persons.map((_, i) => 1000 + i));
    expect(auctions.map((a) => a.id)).toEqual(auctions.map((_, i) => 1000 + i));
    expect(lastBase0PersonId(config, 49)).toBe(0);
    expect(lastBase0PersonId(config, 50)).toBe(1);
    expect(lastBase0AuctionId(config, 50)).toBe(2); // a person: the last auction of the epoch before
    expect(lastBase0AuctionId(config, 52)).toBe(4);
    expect(lastBase0AuctionId(config, 60)).toBe(5); // a bid: the last auction of its epoch
  });

  it('names auctions that are in flight (up to 10 ahead) and people who are active (up to 10 ahead)', () => {
    for (let n = 0; n < N; n++) {
      const event = events[n];
      const lastPerson = lastBase0PersonId(config, n) + 1000;
      if (event.kind === 'bid') {
        const lastAuction = lastBase0AuctionId(config, n) + 1000;
        expect(event.auction).toBeGreaterThanOrEqual(Math.max(1000, lastAuction - 100));
        expect(event.auction).toBeLessThanOrEqual(lastAuction + 10);
        expect(event.bidder).toBeGreaterThanOrEqual(Math.max(1000, lastPerson - 1000));
        expect(event.bidder).toBeLessThanOrEqual(lastPerson + 10);
      } else if (event.kind === 'auction') {
        expect(event.seller).toBeGreaterThanOrEqual(Math.max(1000, lastPerson - 1000));
        expect(event.seller).toBeLessThanOrEqual(lastPerson + 10);
      }
    }
  });

  it('sends bids to hot auctions and from hot bidders, and auctions from hot sellers, at the default ratios', () => {
    const hotAuction = mean(bids.map((b, i) => { const n = indexOf(b, i); return b.auction === Math.floor(lastBase0AuctionId(config, n) / 100) * 100 + 1000 ? 1 : 0; }));
    const hotBidder = mean(bids.map((b, i) => { const n = indexOf(b, i); return b.bidder === Math.floor(lastBase0PersonId(config, n) / 100) * 100 + 1001 ? 1 : 0; }));
    const hotSeller = mean(auctions.map((a) => (a.seller === Math.floor((a.id - 1000) / 3 / 100) * 100 + 1000 ? 1 : 0)));
    // 1 − 1/ratio is hot by choice; a random pick lands on the hot one now and then too.
    expect(hotAuction).toBeGreaterThan(0.49);
    expect(hotAuction).toBeLessThan(0.53);
    expect(hotBidder).toBeGreaterThan(0.74);
    expect(hotBidder).toBeLessThan(0.77);
    expect(hotSeller).toBeGreaterThan(0.72);
    expect(hotSeller).toBeLessThan(0.79);
  });
});

/** The event number of the i-th bid (46 bids after 4 other events in each 50). */
function indexOf(_bid: Bid, i: number): number {
  return Math.floor(i / 46) * 50 + 4 + (i % 46);
}

describe("Nexmark's fields", () => {
  it('draws persons from the US lists, with emails and four-group credit cards', () => {
    for (const p of persons) {
      const [first, last] = p.name.split(' ');
      expect(FIRST_NAMES).toContain(first);
      expect(LAST_NAMES).toContain(last);
      expect(US_CITIES).toContain(p.city);
      expect(US_STATES).toContain(p.state);
      expect(p.email).toMatch(/^[a-z ]*@[a-z ]*\.com$/);
      expect(p.creditCard).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    }
    expect(new Set(persons.map((p) => p.state)).size).toBe(6);
  });

  it('gives auctions 5 categories from 10, a reserve above the initial bid, a later expiry and trimmed names', () => {
    for (const a of auctions) {
      expect(a.category).toBeGreaterThanOrEqual(10);
      expect(a.category).toBeLessThanOrEqual(14);
      expect(a.reserve).toBeGreaterThan(a.initialBid);
      expect(a.expiresUs).toBeGreaterThan(a.dateTimeUs);
      // 1 ms .. twice the time until 100 more auctions (1666 events, ~166.6 ms at 10 000/s).
      expect(a.expiresUs - a.dateTimeUs).toBeLessThanOrEqual(2 * 167 * 1000);
      expect(a.itemName.length).toBeLessThanOrEqual(19);
      expect(a.description.length).toBeLessThanOrEqual(99);
      expect(a.itemName).toBe(a.itemName.trim());
    }
    expect(new Set(auctions.map((a) => a.category)).size).toBe(5);
  });

  it('prices bids log-uniformly from 100 to 10^8, half from the four hot channels', () => {
    for (const b of bids) {
      expect(b.price).toBeGreaterThanOrEqual(100);
      expect(b.price).toBeLessThanOrEqual(1e8);
      expect(b.url).toMatch(/^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1(&channel_id=\d+)?$/);
      if (!HOT_CHANNELS.includes(b.channel)) expect(b.channel).toMatch(/^channel-\d{1,4}$/);
    }
    const hot = mean(bids.map((b) => (HOT_CHANNELS.includes(b.channel) ? 1 : 0)));
    expect(hot).toBeGreaterThan(0.48);
    expect(hot).toBeLessThan(0.52);
    const decades = mean(bids.map((b) => Math.log10(b.price / 100)));
    expect(decades).toBeGreaterThan(2.9);
    expect(decades).toBeLessThan(3.1);
    // Every bid from channel i has the same url; a hot channel's url has no channel id.
    const urls = new Map<string, string>();
    for (const b of bids) expect(urls.get(b.channel) ?? urls.set(b.channel, b.url).get(b.channel)).toBe(b.url);
    expect(urls.get('Google')).not.toMatch(/channel_id/);
    expect(reverseBits32(1)).toBe(-(2 ** 31));
    expect(reverseBits32(6)).toBe(0x60000000);
  });

  it("pads each type to Nexmark's average size with `extra` (sizes as Nexmark estimates them)", () => {
    const personSize = mean(persons.map((p) => 8 + p.name.length + p.email.length + p.creditCard.length + p.city.length + p.state.length + p.extra.length));
    const auctionSize = mean(auctions.map((a) => 8 + a.itemName.length + a.description.length + 40 + a.extra.length));
    const bidSize = mean(bids.map((b) => 32 + b.extra.length));
    expect(Math.abs(personSize - 200)).toBeLessThan(2);
    expect(Math.abs(auctionSize - 500)).toBeLessThan(3);
    expect(Math.abs(bidSize - 100)).toBeLessThan(1);
    expect(Math.min(...bids.map((b) => b.extra.length))).toBe(68 - 14);
    expect(Math.max(...bids.map((b) => b.extra.length))).toBe(68 + 13);
  });
});
