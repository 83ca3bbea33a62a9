/**
 * The workload file format (DESIGN.md §4: "workloads are data"), declared with zod: the
 * validator of every built-in and user workload file, the source of the TypeScript type of a
 * parsed file, and (through `z.toJSONSchema`) of the published `workload.schema.json` that
 * editors complete from. Field by field; checks across fields are in `workload-checks.ts`.
 *
 * Each object rejects unknown fields; a schema's `accepted` text (see {@link accepts}) is what
 * an error message says is accepted there.
 */
import * as z from 'zod';
import { MAX_WINDOW_SCALE, RECORD_QUERIES, RECORD_SOURCES } from '../engines/records/record-query.js';

/** Marks a custom message as the "accepted" half of an error line (`workload-errors.ts`). */
export const ACCEPTED_PREFIX = 'accepted: ';

/**
 * A zod `error` option saying what is accepted, for the issues with one of `codes` (by
 * default a value of the wrong type, an unknown field, a union none of whose members fit).
 */
function accepts(text: string, codes: readonly string[] = ['invalid_type', 'unrecognized_keys', 'invalid_union']): { error: (issue: { code?: string }) => string | undefined } {
  return { error: (issue) => (codes.includes(issue.code ?? '') ? `${ACCEPTED_PREFIX}${text}` : undefined) };
}

/** A number from `min` to `max` (each bound inclusive unless `exclusive` says so); every problem with it says so. */
function ranged(min: number, max: number, what: string, exclusive: { min?: boolean; max?: boolean } = {}) {
  const all = accepts(what, ['invalid_type', 'too_small', 'too_big']);
  const atLeast = exclusive.min ? z.number(all).gt(min, all) : z.number(all).min(min, all);
  return exclusive.max ? atLeast.lt(max, all) : atLeast.max(max, all);
}

/** An object that rejects unknown fields, naming the accepted ones. */
function strict<Shape extends z.ZodRawShape>(shape: Shape, accepted = `an object with ${Object.keys(shape).join(', ')}`) {
  return z.strictObject(shape, accepts(accepted));
}

const MAX_RATE = 1e9;
const rate = ranged(0, MAX_RATE, 'a rate in records/s, greater than 0 and at most 1e9', { min: true }).describe('records/s, greater than 0');
const seconds = ranged(0, 86_400, 'seconds, greater than 0 and at most 86400', { min: true });
const atSec = ranged(0, 86_400, 'seconds from 0 to 86400').describe('seconds from the start of generation (warm-up included)');
const fraction = ranged(0, 1, 'a fraction greater than 0 and at most 1', { min: true }).describe('a fraction: greater than 0, at most 1');
const factor = ranged(0, 1000, 'a factor greater than 0 and at most 1000', { min: true });
const ms = ranged(0, 3_600_000, 'ms from 0 to 3600000');
const positiveMs = ranged(0, 3_600_000, 'ms greater than 0 and at most 3600000', { min: true });
const wholeNumber = (min: number, max: number) => {
  const all = accepts(`a whole number from ${min} to ${max}`, ['invalid_type', 'too_small', 'too_big']);
  return z.int(all).min(min, all).max(max, all);
};

const constant = strict({ kind: z.literal('constant'), rate });
const step = strict({
  kind: z.literal('step'),
  rate: rate.describe('rate before the first step, records/s'),
  steps: z.array(strict({ atSec, rate })).min(1).describe('rate changes, in increasing time'),
});
const burst = strict({
  kind: z.literal('burst'),
  rate,
  peakFactor: factor.describe('the peak rate ÷ the base rate'),
  atSec,
  durationSec: seconds.describe('length of the peak, seconds'),
});
const ramp = strict({
  kind: z.literal('ramp'),
  rate: rate.describe('rate before and at the start of the ramp, records/s'),
  toRate: rate.describe('rate at the end of the ramp and after it, records/s'),
  atSec: atSec.default(0),
  durationSec: seconds.describe('length of the ramp, seconds'),
});
const sine = strict({
  kind: z.literal('sine'),
  rate: rate.describe('mean rate, records/s'),
  amplitude: ranged(0, 1, 'a fraction greater than 0 and less than 1', { min: true, max: true }).describe('swing as a fraction of the mean: rate · (1 + amplitude · sin(2πt / periodSec)); 0 < amplitude < 1'),
  periodSec: seconds.describe('period of the sine, seconds'),
});

/** The offered-load profile; `--rate` rescales it so that its base rate equals the flag. */
export const profileSchema = z
  .discriminatedUnion('kind', [constant, step, burst, ramp, sine], accepts('an object with "kind": constant, step, burst, ramp or sine, and its rates'))
  .describe('offered load over time; --rate rescales it so that its base rate (rate) equals the flag');

const keyCount = wholeNumber(1, 2 ** 24).describe('key cardinality: keys are 0 .. count-1');
const keysAccepted = 'an object with count and distribution (uniform: nothing else; zipf: exponent; hot: hotKeys, hotRatio)';
/** Key cardinality and distribution. */
export const keysSchema = z
  .discriminatedUnion(
    'distribution',
    [
      strict({ count: keyCount, distribution: z.literal('uniform').optional() }, keysAccepted),
      strict({ count: keyCount, distribution: z.literal('zipf'), exponent: ranged(0, 10, 'an exponent greater than 0 and at most 10', { min: true }).describe('zipf exponent s: key k is drawn ∝ 1/(k+1)^s') }, keysAccepted),
      strict(
        {
          count: keyCount,
          distribution: z.literal('hot'),
          hotKeys: wholeNumber(1, 2 ** 24).describe('how many hot keys (keys 0 .. hotKeys-1); fewer than count'),
          hotRatio: fraction.describe('share of records with a hot key, 0 < r ≤ 1'),
        },
        keysAccepted,
      ),
    ],
    accepts(keysAccepted),
  )
  .describe('record keys: count, and how they are drawn (default uniform)');

const operatorsAccepted = 'an object with "op": map, filter, flatMap, cpuCost, keyedCount, keyedSum or tumblingWindow, and its settings';
/** One pipeline operator (engines/operators/), as the engines' `OperatorSpec`. */
export const operatorSchema = z.discriminatedUnion(
  'op',
  [
    strict({
      op: z.literal('map').describe('value → (value · multiply + add) mod modulo'),
      multiply: wholeNumber(0, 2 ** 21),
      add: wholeNumber(0, 2 ** 31 - 1),
      modulo: wholeNumber(1, 2 ** 31 - 1),
    }),
    strict({ op: z.literal('filter').describe('keeps records whose value is not a multiple of dropMultiplesOf'), dropMultiplesOf: wholeNumber(2, 2 ** 31 - 1) }),
    strict({
      op: z.literal('flatMap').describe('tokenises: 1 + value mod maxTokens words per record, word ids below vocabulary'),
      maxTokens: wholeNumber(1, 1000),
      vocabulary: wholeNumber(1, 2 ** 31 - 1),
    }),
    strict({ op: z.literal('cpuCost').describe('real CPU work per record (calibrated)'), micros: ranged(0, 1e6, 'µs greater than 0 and at most 1000000', { min: true }).describe('µs of work per record') }),
    strict({ op: z.literal('keyedCount').describe('running count per key') }),
    strict({ op: z.literal('keyedSum').describe('running sum of values per key') }),
    strict({
      op: z.literal('tumblingWindow').describe('event-time tumbling windows with a watermark and allowed lateness'),
      sizeMs: positiveMs.describe('window length, ms'),
      maxOutOfOrdernessMs: ms.default(0).describe('watermark bound: the largest event time seen minus this, ms'),
      allowedLatenessMs: ms.default(0).describe('a window fires this long after the watermark passes its end, ms'),
    }),
  ],
  accepts(operatorsAccepted),
);

const branchName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, "a branch name of letters, digits, '_' and '-' (at most 32, starting with a letter)")
  .describe("the branch's name in results");
const cacheHint = z
  .boolean(accepts('true or false'))
  .default(false)
  .describe('the cache hint: true computes the shared prefix once for all branches; false (Spark\'s lazy default) recomputes it from the source for each');

/** A fork inside a branch (its last step): the branch's steps before it are the prefix its own branches share. */
export const nestedBranchSchema = strict({
  op: z.literal('branch').describe("a fork at the end of a branch: its output feeds every branch of its own (the branch's last step only; no deeper fork)"),
  cache: cacheHint,
  branches: z
    .record(branchName, z.array(operatorSchema).max(64), accepts('an object of branch name → its operators, 2 to 8 branches'))
    .describe('branch name → the operators of that branch, in order (2 to 8 branches; each ends in its own output)'),
});

const branchStepsAccepted = 'an object with "op": map, filter, flatMap, cpuCost, keyedCount, keyedSum, tumblingWindow or (last) branch, and its settings';
/** One step of a branch: an operator, or (last) a fork of its own. */
const branchStepSchema = z.discriminatedUnion('op', [...operatorSchema.options, nestedBranchSchema], accepts(branchStepsAccepted));

/**
 * The fork of a pipeline into branches (engines/operators/branch.ts): the last step only; the
 * steps before it are the shared prefix every branch reads. A branch may fork again (its last
 * step), once: at most 8 outputs in all.
 */
export const branchSchema = strict({
  op: z.literal('branch').describe('the end of the shared prefix: its output feeds every branch (last step only)'),
  cache: cacheHint,
  branches: z
    .record(branchName, z.array(branchStepSchema).max(64), accepts('an object of branch name → its operators, 2 to 8 branches'))
    .describe('branch name → the operators of that branch, in order, the last of which may fork again (2 to 8 branches; each ends in its own output; 8 outputs in all)'),
});

const stepsAccepted = 'an object with "op": map, filter, flatMap, cpuCost, keyedCount, keyedSum, tumblingWindow or (last) branch, and its settings';
/** One step of a workload's pipeline: an operator, or (last) the fork into branches. */
export const pipelineStepSchema = z.discriminatedUnion('op', [...operatorSchema.options, branchSchema], accepts(stepsAccepted));

/** A slow downstream behind the sink (scenarios/downstream.ts). */
export const sinkSchema = strict({
  capacityPerSec: z
    .union([rate, z.literal('unlimited')], accepts("a rate greater than 0 (records/s) or 'unlimited'"))
    .default('unlimited')
    .describe("records/s the downstream absorbs, or 'unlimited'"),
  writeLatencyUs: ranged(0, 1e7, 'µs from 0 to 10000000').default(0).describe('fixed time per write, µs'),
  queueRecords: wholeNumber(1, 2 ** 26).default(10_000).describe('bound of the sink queue, records (each partition gets 1/P)'),
  drop: z.enum(['none', 'newest']).default('none').describe("'none': a full queue holds the engine back; 'newest': drop and count"),
}).describe('a slow downstream: limited capacity, per-write latency, a bounded queue');

/** Faults injected into a run (scenarios/downstream.ts). */
export const faultSchema = strict({
  partition: wholeNumber(0, 63).default(0).describe('partition whose worker thread is terminated; below --workers'),
  killAtSec: seconds.describe('seconds into the measurement window'),
  failBatchAtSec: seconds.optional().describe('batch modes: the first batch starting this long into the measurement throws once'),
}).describe('a worker thread killed mid-run (and a batch task failed once): recovery by replay');

/** A whole workload file. */
export const workloadSchema = strict(
  {
    $schema: z.string().optional().describe('the JSON Schema of this file, for editors'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a name of letters, digits, '.', '_' and '-' (at most 64, no commas)")
      .describe("the scenario's identity in results and on the command line"),
    description: z.string().min(1).max(500).describe('one line: what the workload does'),
    profile: profileSchema,
    arrivals: z.enum(['uniform', 'poisson']).default('uniform').describe('gaps between arrivals at a given rate: uniform or Poisson'),
    keys: keysSchema,
    valueRange: wholeNumber(1, 2 ** 31).describe('values are uniform in 0 .. valueRange-1'),
    outOfOrder: strict({
      fraction: fraction.describe('share of records carrying an earlier event time'),
      maxDelayMs: positiveMs.describe('how much earlier at most, ms (uniform)'),
    })
      .optional()
      .describe('records whose event time is earlier than their arrival'),
    pipeline: z.array(pipelineStepSchema).max(64).describe('the operators every mode executes, in order; the last may fork into branches'),
    source: z
      .enum(['scalar', ...RECORD_SOURCES], accepts(`one of scalar, ${RECORD_SOURCES.join(', ')}`, ['invalid_type', 'invalid_value']))
      .optional()
      .describe("the records: 'scalar' (event time, key, value; the default) or records with a schema — 'nexmark' (Person/Auction/Bid), 'text' (sentences), 'json' (YSB-like ad documents) — that `query` runs over instead of `pipeline`"),
    query: z
      .enum(RECORD_QUERIES, accepts(RECORD_QUERIES.join(', '), ['invalid_type', 'invalid_value']))
      .optional()
      .describe("with a record source: the query every mode runs (nexmark: q0 q1 q2 q3 q5 q7 q8; text: wordcount; json: json-ingest)"),
    windowScale: wholeNumber(1, MAX_WINDOW_SCALE)
      .optional()
      .describe("with a record source: the query's windows are this many times shorter than Nexmark's/YSB's 10 s (declared in results); default 1"),
    peak: strict({
      factor: factor.describe('the peak rate ÷ the base rate'),
      startFraction: ranged(0, 1, 'a fraction from 0 to less than 1', { max: true }).describe('start of the peak, as a fraction of the measurement window'),
      lengthFraction: fraction.describe('length of the peak, as a fraction of the measurement window'),
    })
      .optional()
      .describe('a load peak placed in the measurement window (constant profiles); the run reports recovery'),
    minDurationSec: seconds.optional().describe('shortest measured time per trial; a shorter --duration is raised to it'),
    priority: strict({ fraction: fraction.describe('share of records of the priority class') })
      .optional()
      .describe('a priority class, marked from a hash of key and value; latency reported per class'),
    sink: sinkSchema.optional(),
    fault: faultSchema.optional(),
    memoryBudget: z
      .string(accepts('a size such as "4MB" or "512KB" (binary units)'))
      .regex(/^\s*\d+(\.\d+)?\s*([kKmMgG]([iI]?[bB])?|[bB])?\s*$/, 'accepted: a size such as "4MB" or "512KB" (binary units)')
      .optional()
      .describe("the keyed and window state budget of each partition task when --memory-budget is not given (past it state spills to disk), e.g. '4MB'"),
  },
  'an object with the workload fields: name, description, profile, arrivals, keys, valueRange, outOfOrder, pipeline, source, query, windowScale, peak, minDurationSec, priority, sink, fault, memoryBudget ($schema for editors)',
).describe('A streambench workload: the source, the pipeline every mode executes, the sink and faults');

/** A workload file as validated, defaults filled in. */
export type WorkloadFile = z.output<typeof workloadSchema>;
