/**
 * JSON ad events for json-ingest, after the Yahoo Streaming Benchmark's generator: each
 * event is a JSON document {user_id, page_id, ad_id, ad_type, event_type, event_time,
 * ip_address}, ids as UUIDs (100 users, 100 pages, 1000 ads = YSB's 100 campaigns × 10),
 * ad_type one of five, event_type view/click/purchase uniformly (so a third are views),
 * event_time the scheduled time in ms as a string (as YSB writes it). A pure function of
 * (seed, n), stamped with its scheduled time (default: `n × 10⁶ / rate` µs). Simplified:
 * no campaigns table (json-ingest counts per ad, not per campaign through Redis).
 */
import { EventRandom } from '../nexmark/event-random.js';

/** YSB's ad and event types. */
export const AD_TYPES: readonly string[] = ['banner', 'modal', 'sponsored-search', 'mail', 'mobile'];
export const AD_EVENT_TYPES: readonly string[] = ['view', 'click', 'purchase'];

/** An ad event record: its scheduled time and its JSON text. */
export interface AdEventRecord {
  readonly dateTimeUs: number;
  readonly text: string;
  /** The ad's number (its index in `ads`): what a partitioned source keys the record by. */
  readonly adIndex: number;
}

function uuid(random: EventRandom): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += random.nextUint32().toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A seeded generator of YSB-like JSON ad events. */
export class AdEventGenerator {
  /** The ad ids (index = ad number), users and pages. */
  readonly ads: readonly string[];
  private readonly users: readonly string[];
  private readonly pages: readonly string[];
  private readonly random = new EventRandom();

  constructor(
    readonly seed = 1,
    readonly ratePerSec = 10_000,
    adCount = 1000,
  ) {
    const ids = (salt: number, count: number): string[] => Array.from({ length: count }, (_, i) => uuid(new EventRandom().reseed(seed ^ salt, i)));
    this.ads = ids(0x41445321, adCount);
    this.users = ids(0x55534552, 100);
    this.pages = ids(0x50414745, 100);
  }

  /** Record `n`, stamped `dateTimeUs` (default its nominal time). */
  recordAt(n: number, dateTimeUs = Math.floor((n * 1e6) / this.ratePerSec)): AdEventRecord {
    const random = this.random.reseed(this.seed ^ 0x59534221, n);
    const user = this.users[random.nextInt(this.users.length)];
    const page = this.pages[random.nextInt(this.pages.length)];
    const adIndex = random.nextInt(this.ads.length);
    const document = {
      user_id: user,
      page_id: page,
      ad_id: this.ads[adIndex],
      ad_type: AD_TYPES[random.nextInt(AD_TYPES.length)],
      event_type: AD_EVENT_TYPES[random.nextInt(AD_EVENT_TYPES.length)],
      event_time: String(Math.floor(dateTimeUs / 1000)),
      ip_address: '1.2.3.4',
    };
    return { dateTimeUs, text: JSON.stringify(document), adIndex };
  }
}
