/**
 * What a run through a broker adds to its result (`RunResult.broker`, results.json version 1,
 * optional): where it ran, who produced and consumed, how the clocks were joined, where every
 * input entry went, and the faults injected over the broker.
 */

/** A fault injected over the broker, times on the run clock (µs). */
export interface BrokerFault {
  kind: 'kill-sut' | 'restart-broker';
  /** When the system under test was killed (SIGKILL) or the broker stopped. */
  atUs: number;
  /** When its replacement was started / the broker accepted connections again. */
  restartedUs: number;
  /** The first result the harness received after that; absent if none came. */
  outputResumedUs?: number;
}

/** Where every input entry of the run went (from the consumer groups and the output streams). */
export interface BrokerAccounting {
  /** Input records the generators appended (acknowledged by the broker). */
  appended: number;
  /** Input stream entries in the broker at the end (records, end markers, re-sent duplicates). */
  entries: number;
  /** Entries the group delivered and the system under test acknowledged. */
  acknowledged: number;
  /** Delivered and never acknowledged. */
  pending: number;
  /** Never delivered (the group's lag). */
  undelivered: number;
  /** Distinct results received. */
  results: number;
  /** Results received again (same input index): counted when the pipeline has at most one result per input. */
  duplicates?: number;
  /** Results received, duplicates included, and their digest. */
  delivered: number;
  deliveredDigest: string;
  /** From `streambench serve`: inputs claimed from a dead consumer and processed again, inputs replayed silently to rebuild state, input entries seen twice. */
  redelivered?: number;
  replayed?: number;
  inputDuplicates?: number;
  /** Every entry delivered and acknowledged, nothing pending. */
  allAcknowledged: boolean;
}

/** The broker side of a run. */
export interface BrokerFigures {
  /** `local redis://127.0.0.1:port` or the user's `redis://host:port`. */
  target: string;
  cluster: boolean;
  run: string;
  /** `serve --mode <mode>`, the `--sut` command, or `none`. */
  sut: string;
  generators: number;
  /** How the generators' clocks were joined to the harness's: the worst of them. */
  clock: { via: 'monotonic' | 'broker-time'; errorUs: number };
  accounting: BrokerAccounting;
  faults?: BrokerFault[];
  /** `serve`: the digest its engine emitted (equal to its tapped results', checked by serve). */
  engineDigest?: string;
}
