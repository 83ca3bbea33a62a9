/**
 * One clock across processes and hosts. Latency through a broker is measured by the harness
 * (receive time − event time), and event times are stamped by generator processes that may run
 * on other hosts, so every process must agree on the run's origin (time 0 = the first
 * scheduled record):
 *
 * - **Same host** (same kernel boot id, `/proc/sys/kernel/random/boot_id`): the origin is a
 *   reading of CLOCK_MONOTONIC (`process.hrtime`), which every process of one boot shares.
 *   Exact: no skew at all.
 * - **Another host**: the origin is announced in the broker's own time (Redis `TIME`, µs), and
 *   each process maps it onto its own monotonic clock from the offset it estimates by asking the
 *   broker: the sample with the shortest round trip of a few `TIME` calls, offset = broker time −
 *   the midpoint of the call (Cristian's algorithm). The error is at most half that round trip
 *   (tens of µs on a LAN), reported with the run; clock drift over a run of seconds adds ~µs.
 *
 * The estimate is pure ({@link estimateOffset}); tests give it samples.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { monotonicUs } from '../../primitives/clock.js';

/** One `TIME` call: local monotonic µs before and after, and the broker's time (µs since the epoch). */
export interface TimeSample {
  sentUs: number;
  brokerUs: number;
  receivedUs: number;
}

/** Broker time − local monotonic time, and the bound of its error (half the best round trip). */
export interface ClockOffset {
  offsetUs: number;
  errorUs: number;
}

/** The offset from the sample with the shortest round trip (Cristian's algorithm). */
export function estimateOffset(samples: readonly TimeSample[]): ClockOffset {
  if (samples.length === 0) throw new Error('estimateOffset needs at least one sample');
  let best = samples[0];
  for (const sample of samples) if (sample.receivedUs - sample.sentUs < best.receivedUs - best.sentUs) best = sample;
  return { offsetUs: best.brokerUs - (best.sentUs + best.receivedUs) / 2, errorUs: (best.receivedUs - best.sentUs) / 2 };
}

/** Asks the broker its time `count` times and estimates the offset. */
export async function measureOffset(time: () => Promise<[string, string]>, count = 15, now: () => number = monotonicUs): Promise<ClockOffset> {
  const samples: TimeSample[] = [];
  for (let i = 0; i < count; i++) {
    const sentUs = now();
    const [seconds, micros] = await time();
    const receivedUs = now();
    samples.push({ sentUs, brokerUs: Number(seconds) * 1e6 + Number(micros), receivedUs });
  }
  return estimateOffset(samples);
}

/**
 * What identifies this host's monotonic clock: the kernel's boot id (else the host name).
 * `STREAMBENCH_BOOT_ID` overrides it — to make a process on this host join the clocks the way
 * one on another host does (through the broker's time), e.g. to check that path.
 */
export function bootId(): string {
  if (process.env.STREAMBENCH_BOOT_ID) return process.env.STREAMBENCH_BOOT_ID;
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return `host:${hostname()}`;
  }
}

/** The start of a run, as the harness announces it. */
export interface StartAnnouncement {
  /** The origin on the harness's monotonic clock (µs). */
  originMonotonicUs: number;
  /** The harness's boot id: processes with the same one use `originMonotonicUs` as is. */
  bootId: string;
  /** The origin in broker time (µs since the epoch, Redis `TIME`). */
  originBrokerUs: number;
  /** The harness's own offset error (µs). */
  errorUs: number;
}

/** Announces an origin `leadUs` from now, in both clocks. */
export function announceStart(offset: ClockOffset, leadUs: number, now: () => number = monotonicUs, boot = bootId()): StartAnnouncement {
  const originMonotonicUs = now() + leadUs;
  return { originMonotonicUs, bootId: boot, originBrokerUs: originMonotonicUs + offset.offsetUs, errorUs: offset.errorUs };
}

/** Where the announced origin is on this process's monotonic clock, and how exact that is. */
export interface LocalOrigin {
  originUs: number;
  /** How the origin was found: the shared monotonic clock, or the broker's time. */
  via: 'monotonic' | 'broker-time';
  /** Bound of the error against the harness's clock (µs): 0 on the same host. */
  errorUs: number;
}

/** The announced origin on this process's clock: exact on the same boot, else through the broker's time. */
export function localOrigin(start: StartAnnouncement, boot: string, own: ClockOffset): LocalOrigin {
  if (start.bootId === boot) return { originUs: start.originMonotonicUs, via: 'monotonic', errorUs: 0 };
  return { originUs: start.originBrokerUs - own.offsetUs, via: 'broker-time', errorUs: own.errorUs + start.errorUs };
}
