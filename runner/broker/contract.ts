/**
 * The stream contract between streambench and a system under test behind Redis Streams
 * (README, "Through a broker"). One trial is a *run* with an id; each source partition `p` has
 * an input stream and an output stream with the same hash tag (so both live on one cluster
 * node, and pipelines and scripts that touch both are legal there):
 *
 *   input  `streambench:{<run>.<p>}:in`   records: fields `t` event time (µs on the run clock, a
 *                                          decimal that may have a fraction), `k` key, `v` value,
 *                                          `i` the record's index in the schedule (unique in the run)
 *                                          end of input: one entry `end` <records this producer
 *                                          appended>, `g` <producer>; the input ends after
 *                                          `generators` such entries
 *   output `streambench:{<run>.<p>}:out`  results: `t` the input's event time copied verbatim (a
 *                                          window result: the largest event time in the window),
 *                                          `k`, `v`, and `i` the input's index when there is one
 *                                          end of output: one entry `end` <results written>
 *
 * Consumers read the input with the consumer group `streambench` (created by the harness from
 * offset 0) and XACK an input entry once its results are written (at-least-once). A consumer is
 * *ready* once it exists in every input stream's group: `XGROUP CREATECONSUMER <input> streambench
 * <name>` when it is ready to read (a blocked XREADGROUP does not create it in Redis 7.0).
 * Control keys (`spec`, `go`, …) share the run's own hash tag. Every entry is one record, as
 * a Kafka record is; producers batch many XADDs per round trip.
 */

/** The consumer group every system under test reads the input with. */
export const GROUP = 'streambench';
/** Where the harness announces each trial (for systems and generators started on their own). */
export const ANNOUNCE_STREAM = 'streambench:trials';

/** The names of one partition's streams. */
export interface PartitionStreams {
  input: string;
  output: string;
}

/** Every key of one run. */
export interface RunKeys {
  run: string;
  streams: PartitionStreams[];
  /** The trial's specification (JSON). */
  spec: string;
  /** Generators push their share here once ready (a list). */
  joined: string;
  /** The start: one copy per generator (a list each BLPOPs from). */
  go: string;
  /** Set once the trial has started (processes started on their own skip it then). */
  started: string;
  /** Generators push their report here when done (a list). */
  done: string;
  /** Systems under test that report figures of their own (streambench serve) push them here (a list). */
  report: string;
}

/** The hash tag of partition `p` of `run` (the default: `<run>.<p>`; a cluster may get a spread variant). */
export function partitionTag(run: string, p: number, variant = 0): string {
  return variant === 0 ? `${run}.${p}` : `${run}.${p}.${variant}`;
}

/** The streams of partition `p` under hash tag `tag`. */
export function partitionStreams(tag: string): PartitionStreams {
  return { input: `streambench:{${tag}}:in`, output: `streambench:{${tag}}:out` };
}

/** The keys of `run` with its partitions' streams under `tags`. */
export function runKeys(run: string, tags: readonly string[]): RunKeys {
  const control = (name: string): string => `streambench:{${run}}:${name}`;
  return {
    run,
    streams: tags.map(partitionStreams),
    spec: control('spec'),
    joined: control('joined'),
    go: control('go'),
    started: control('started'),
    done: control('done'),
    report: control('report'),
  };
}

/** A decoded stream entry. */
export type Entry = { kind: 'record'; t: number; k: number; v: number; i: number; text: string } | { kind: 'end'; count: number; producer: number };

/** Field/value pairs as Redis returns them, flat: [name, value, name, value, …]. */
export type Fields = readonly string[];

/**
 * Decodes an entry of an input or output stream; `undefined` when it breaks the contract
 * (the caller names the stream and entry). `text` is `t` as written, for copying verbatim.
 */
export function decodeEntry(fields: Fields): Entry | undefined {
  let t: string | undefined;
  let k: string | undefined;
  let v: string | undefined;
  let i: string | undefined;
  let end: string | undefined;
  let g: string | undefined;
  for (let f = 0; f + 1 < fields.length; f += 2) {
    const value = fields[f + 1];
    switch (fields[f]) {
      case 't': t = value; break;
      case 'k': k = value; break;
      case 'v': v = value; break;
      case 'i': i = value; break;
      case 'end': end = value; break;
      case 'g': g = value; break;
    }
  }
  if (end !== undefined) {
    const count = Number(end);
    return Number.isInteger(count) && count >= 0 ? { kind: 'end', count, producer: g === undefined ? 0 : Number(g) } : undefined;
  }
  if (t === undefined || k === undefined || v === undefined) return undefined;
  const tn = Number(t);
  const kn = Number(k);
  const vn = Number(v);
  if (!Number.isFinite(tn) || !Number.isInteger(kn) || !Number.isInteger(vn) || t.trim() === '' || k.trim() === '' || v.trim() === '') return undefined;
  const index = i === undefined || i === '' ? -1 : Number(i);
  if (!Number.isInteger(index)) return undefined;
  return { kind: 'record', t: tn, k: kn, v: vn, i: index, text: t };
}

/** What the harness tells a system under test it starts (`--sut`), as environment variables. */
export function sutEnvironment(url: string, keys: RunKeys, generators: number): Record<string, string> {
  return {
    STREAMBENCH_TARGET: url,
    STREAMBENCH_RUN: keys.run,
    STREAMBENCH_PARTITIONS: String(keys.streams.length),
    STREAMBENCH_INPUT_STREAMS: keys.streams.map((s) => s.input).join(','),
    STREAMBENCH_OUTPUT_STREAMS: keys.streams.map((s) => s.output).join(','),
    STREAMBENCH_GROUP: GROUP,
    STREAMBENCH_GENERATORS: String(generators),
    STREAMBENCH_SPEC_KEY: keys.spec,
  };
}
