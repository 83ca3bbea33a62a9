/**
 * Reading a workload file: JSON and YAML of the same workload give the same scenario, defaults
 * are filled in, absent sections stay absent, 'unlimited' becomes Infinity, and the schema
 * names every rate profile kind and key distribution the code has.
 */
import { describe, expect, it } from 'vitest';
import { keyDistributionKinds } from '../scenarios/key-distribution.js';
import { rateProfileKinds } from '../scenarios/rate-profile.js';
import { parseWorkload, parseWorkloadFile } from '../scenarios/workload-file.js';
import { keysSchema, profileSchema } from '../scenarios/workload-schema.js';

const yaml = `
name: both
description: the same workload twice
profile: { kind: sine, rate: 500, amplitude: 0.25, periodSec: 2 }
keys: { count: 50, distribution: hot, hotKeys: 2, hotRatio: 0.4 }
valueRange: 100
pipeline:
  - { op: tumblingWindow, sizeMs: 50 }
sink: { writeLatencyUs: 10 }
`;

const json = JSON.stringify({
  name: 'both',
  description: 'the same workload twice',
  profile: { kind: 'sine', rate: 500, amplitude: 0.25, periodSec: 2 },
  keys: { count: 50, distribution: 'hot', hotKeys: 2, hotRatio: 0.4 },
  valueRange: 100,
  pipeline: [{ op: 'tumblingWindow', sizeMs: 50 }],
  sink: { writeLatencyUs: 10 },
});

describe('a workload file', () => {
  it('gives the same scenario in YAML and in JSON, defaults filled in', () => {
    const scenario = parseWorkload(yaml, 'yaml', 'both.yaml');
    expect(parseWorkload(json, 'json', 'both.json')).toStrictEqual(scenario);
    expect(scenario).toStrictEqual({
      name: 'both',
      description: 'the same workload twice',
      profile: { kind: 'sine', rate: 500, amplitude: 0.25, periodSec: 2 },
      arrivals: 'uniform',
      keys: 50,
      keyDistribution: { kind: 'hot', hotKeys: 2, hotRatio: 0.4 },
      valueRange: 100,
      pipeline: [{ op: 'tumblingWindow', sizeMs: 50, maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 }],
      sink: { capacityPerSec: Infinity, writeLatencyUs: 10, queueRecords: 10_000, drop: 'none' },
    });
  });

  it('keeps uniform keys as no distribution at all (the generator then draws as it always did)', () => {
    const uniform = parseWorkload(json.replace('"distribution":"hot","hotKeys":2,"hotRatio":0.4', '"distribution":"uniform"'), 'json', 'u.json');
    expect(uniform.keys).toBe(50);
    expect('keyDistribution' in uniform).toBe(false);
  });

  it('fills in a ramp\'s start and a fault\'s partition', () => {
    const file = parseWorkloadFile(
      JSON.stringify({ name: 'r', description: 'd', profile: { kind: 'ramp', rate: 1, toRate: 2, durationSec: 3 }, keys: { count: 2 }, valueRange: 2, pipeline: [{ op: 'keyedCount' }], fault: { killAtSec: 1 } }),
      'json',
      'r.json',
    );
    expect(file.profile).toEqual({ kind: 'ramp', rate: 1, toRate: 2, atSec: 0, durationSec: 3 });
    expect(file.fault).toEqual({ partition: 0, killAtSec: 1 });
  });
});

describe('the schema', () => {
  it('accepts every rate profile kind and key distribution the code has', () => {
    expect(profileSchema.options.map((option) => option.shape.kind.value)).toEqual([...rateProfileKinds]);
    const distributions = keysSchema.options.map(({ shape: { distribution } }) => ('unwrap' in distribution ? distribution.unwrap().value : distribution.value));
    expect(distributions).toEqual([...keyDistributionKinds]);
  });
});
