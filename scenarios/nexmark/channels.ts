/**
 * Where a bid comes from, after `BidGenerator.java` (nexmark/nexmark, Flink): half the bids
 * come from one of four hot channels (Google, Facebook, Baidu, Apple), each with its own
 * url; the rest from one of 10 000 channels `channel-<i>`, whose url is a random
 * `https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1`, with `&channel_id=<|reverse bits of
 * i|>` appended for 9 channels in 10. Nexmark draws these once per process from an unseeded
 * generator and caches them; here each is drawn from (seed, channel number), so they are the
 * same on every thread, and cached lazily per seed (built on first use; 10 000 strings).
 */
import { EventRandom } from './event-random.js';
import { nextString } from './strings.js';

/** Nexmark's hot channels. */
export const HOT_CHANNELS: readonly string[] = ['Google', 'Facebook', 'Baidu', 'Apple'];
/** Channels that are not hot (`CHANNELS_NUMBER`). */
export const CHANNELS_NUMBER = 10_000;

/** A seed's channel urls: the hot ones, and the others as they are first asked for. */
interface ChannelUrls {
  readonly hot: readonly string[];
  readonly names: string[];
  readonly urls: string[];
}

const bySeed = new Map<number, ChannelUrls>();
const scratch = new EventRandom();

function baseUrl(random: EventRandom): string {
  return `https://www.nexmark.com/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/item.htm?query=1`;
}

/** Java's `Integer.reverse`: the 32 bits of `i` in reverse order (as a signed 32-bit integer). */
export function reverseBits32(i: number): number {
  let v = i >>> 0;
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) | 0;
}

function urlsFor(seed: number): ChannelUrls {
  let entry = bySeed.get(seed);
  if (entry === undefined) {
    const hot = HOT_CHANNELS.map((_, i) => baseUrl(scratch.reseed(seed ^ 0x484f5421, i)));
    entry = { hot, names: new Array<string>(CHANNELS_NUMBER), urls: new Array<string>(CHANNELS_NUMBER) };
    bySeed.set(seed, entry);
  }
  return entry;
}

/** The url of hot channel `i` (0 .. 3) for `seed`. */
export function hotChannelUrl(seed: number, i: number): string {
  return urlsFor(seed).hot[i];
}

/** The name and url of channel `i` (0 .. 9 999) for `seed`, cached after the first call. */
export function channel(seed: number, i: number): { readonly name: string; readonly url: string } {
  const entry = urlsFor(seed);
  let url = entry.urls[i];
  if (url === undefined) {
    const random = scratch.reseed(seed ^ 0x4348414e, i);
    url = baseUrl(random);
    if (random.nextInt(10) > 0) url += `&channel_id=${Math.abs(reverseBits32(i))}`;
    entry.urls[i] = url;
    entry.names[i] = `channel-${i}`;
  }
  return { name: entry.names[i], url };
}
