/**
 * The reference evaluator for the Nexmark queries: plain and independent of the operators —
 * it takes every event as an object (straight from the generator, not from columns), then
 * filters, groups, sorts and joins with arrays and maps, the way the queries' SQL reads
 * (nexmark/nexmark `queries/q*.sql`). Each output row is [stamp, ...fields], the stamp being
 * the event time the row's latency is measured from: the record's own time, the later of a
 * join's two records, or the largest event time in a window.
 */
import type { Auction, Bid, NexmarkEvent, Person } from '../../scenarios/nexmark/model.js';

/** An output row: [stamp µs, ...fields]. */
export type Row = (number | string)[];

const bidsOf = (events: readonly NexmarkEvent[]): Bid[] => events.filter((e): e is Bid => e.kind === 'bid');
const personsOf = (events: readonly NexmarkEvent[]): Person[] => events.filter((e): e is Person => e.kind === 'person');
const auctionsOf = (events: readonly NexmarkEvent[]): Auction[] => events.filter((e): e is Auction => e.kind === 'auction');

/** Groups `items` by a key, keeping insertion order within each group. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

const maxOf = (values: readonly number[]): number => values.reduce((a, b) => (b > a ? b : a), -Infinity);

/** q0: SELECT auction, bidder, price, dateTime, extra FROM bid. */
export function q0(events: readonly NexmarkEvent[]): Row[] {
  return bidsOf(events).map((b) => [b.dateTimeUs, b.auction, b.bidder, b.price, b.dateTimeUs, b.extra]);
}

/** q1: … 0.908 × price … FROM bid (price in thousandths, exact). */
export function q1(events: readonly NexmarkEvent[]): Row[] {
  return bidsOf(events).map((b) => [b.dateTimeUs, b.auction, b.bidder, b.price * 908, b.dateTimeUs, b.extra]);
}

/** q2: SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0. */
export function q2(events: readonly NexmarkEvent[]): Row[] {
  return bidsOf(events).filter((b) => b.auction % 123 === 0).map((b) => [b.dateTimeUs, b.auction, b.price]);
}

/** q3: P.name, P.city, P.state, A.id FROM auction A JOIN person P ON A.seller = P.id WHERE A.category = 10 AND P.state IN (OR, ID, CA). */
export function q3(events: readonly NexmarkEvent[]): Row[] {
  const persons = personsOf(events).filter((p) => ['OR', 'ID', 'CA'].includes(p.state));
  const auctions = auctionsOf(events).filter((a) => a.category === 10);
  const rows: Row[] = [];
  for (const a of auctions) for (const p of persons) if (a.seller === p.id) rows.push([Math.max(a.dateTimeUs, p.dateTimeUs), p.name, p.city, p.state, a.id]);
  return rows;
}

/** q5: per HOP(slide, size) window, the auctions with the most bids: (auction, num, window start). */
export function q5(events: readonly NexmarkEvent[], sizeMs: number, slideMs: number): Row[] {
  const sizeUs = sizeMs * 1000;
  const slideUs = slideMs * 1000;
  const assigned: { start: number; bid: Bid }[] = [];
  for (const bid of bidsOf(events)) {
    const last = Math.floor(bid.dateTimeUs / slideUs) * slideUs;
    for (let start = last; start > bid.dateTimeUs - sizeUs; start -= slideUs) assigned.push({ start, bid });
  }
  const rows: Row[] = [];
  for (const [start, inWindow] of groupBy(assigned, (a) => a.start)) {
    const stamp = maxOf(inWindow.map((a) => a.bid.dateTimeUs));
    const counts = [...groupBy(inWindow, (a) => a.bid.auction)].map(([auction, bids]) => [auction, bids.length] as const);
    const max = maxOf(counts.map(([, n]) => n));
    for (const [auction, n] of counts) if (n >= max) rows.push([stamp, auction, n, start]);
  }
  return rows;
}

/** q7: per TUMBLE(size) window, the bids at the window's highest price. */
export function q7(events: readonly NexmarkEvent[], sizeMs: number): Row[] {
  const sizeUs = sizeMs * 1000;
  const rows: Row[] = [];
  for (const bids of groupBy(bidsOf(events), (b) => Math.floor(b.dateTimeUs / sizeUs)).values()) {
    const maxPrice = maxOf(bids.map((b) => b.price));
    const stamp = maxOf(bids.map((b) => b.dateTimeUs));
    for (const b of bids) if (b.price === maxPrice) rows.push([stamp, b.auction, b.price, b.bidder, b.dateTimeUs, b.extra]);
  }
  return rows;
}

/** q8: per TUMBLE(size) window, the persons who registered and opened an auction in it: (id, name, window start). */
export function q8(events: readonly NexmarkEvent[], sizeMs: number): Row[] {
  const sizeUs = sizeMs * 1000;
  const windowOf = (e: NexmarkEvent): number => Math.floor(e.dateTimeUs / sizeUs);
  const rows: Row[] = [];
  const personWindows = groupBy(personsOf(events), windowOf);
  const auctionWindows = groupBy(auctionsOf(events), windowOf);
  for (const [window, persons] of personWindows) {
    const auctions = auctionWindows.get(window) ?? [];
    const stamp = maxOf([...persons, ...auctions].map((e) => e.dateTimeUs));
    const sellers = new Set(auctions.map((a) => a.seller));
    for (const p of persons) if (sellers.has(p.id)) rows.push([stamp, p.id, p.name, window * sizeUs]);
  }
  return rows;
}
