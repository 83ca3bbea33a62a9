import { describe, expect, it } from 'vitest';
import { formatCount, formatMicros, formatRate } from '../primitives/units.js';
import { keyParamsLabel, modeLabel, paramsKey, paramsLabel } from '../reports/format.js';

describe('formatMicros', () => {
  it('shows sub-millisecond values as whole microseconds', () => {
    expect(formatMicros(0)).toBe('0µs');
    expect(formatMicros(412)).toBe('412µs');
    expect(formatMicros(412.4)).toBe('412µs');
    expect(formatMicros(999.4)).toBe('999µs');
  });

  it('shows milliseconds and seconds with 3 significant digits', () => {
    expect(formatMicros(51_234)).toBe('51.2ms');
    expect(formatMicros(1_200)).toBe('1.20ms');
    expect(formatMicros(412_000)).toBe('412ms');
    expect(formatMicros(1_200_000)).toBe('1.20s');
    expect(formatMicros(12_345_678)).toBe('12.3s');
  });

  it('moves to the next unit when rounding reaches 1000', () => {
    expect(formatMicros(999.6)).toBe('1.00ms');
    expect(formatMicros(999_700)).toBe('1.00s');
    expect(formatMicros(59_990_000)).toBe('1.00min');
  });

  it('shows a minute or more in minutes, and non-finite values as n/a', () => {
    expect(formatMicros(90_000_000)).toBe('1.50min');
    expect(formatMicros(Number.NaN)).toBe('n/a');
    expect(formatMicros(Number.POSITIVE_INFINITY)).toBe('n/a');
  });

  it('keeps the sign of a negative value', () => {
    expect(formatMicros(-2_500)).toBe('-2.50ms');
  });
});

describe('formatRate and formatCount', () => {
  it('uses metric suffixes and drops trailing zeros', () => {
    expect(formatRate(1000)).toBe('1k/s');
    expect(formatRate(2_500_000)).toBe('2.5M/s');
    expect(formatRate(500)).toBe('500/s');
    expect(formatRate(12_345)).toBe('12.3k/s');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.5)).toBe('0.5/s');
    expect(formatRate(3e9)).toBe('3G/s');
  });

  it('carries a value that rounds to 1000 into the next suffix', () => {
    expect(formatRate(999_999)).toBe('1M/s');
    expect(formatCount(999.7)).toBe('1k');
  });
});

describe('parameter labels', () => {
  it('labels batch modes by interval and continuous by workers', () => {
    expect(modeLabel('micro-batch', { workers: 2, intervalMs: 100 })).toBe('micro-batch T=100ms');
    expect(modeLabel('trigger', { workers: 1, intervalMs: 0, maxRecordsPerBatch: 10_000 })).toBe('trigger T=0ms cap=10k');
    expect(modeLabel('micro-batch', { workers: 1, intervalMs: 1500 })).toBe('micro-batch T=1.5s');
    expect(modeLabel('continuous', { workers: 2, checkpointMs: 1000, flushTimeoutUs: 0 })).toBe('continuous workers=2');
    expect(keyParamsLabel('continuous', { workers: 4, flushTimeoutUs: 500 })).toBe('workers=4 flush=500µs');
  });

  it('lists every parameter in a fixed order', () => {
    expect(paramsLabel({ intervalMs: 100, workers: 2, checkpointMs: 1000 })).toBe('workers=2 T=100ms checkpoint=1000ms');
  });

  it('gives equal keys for equal parameters written in another order', () => {
    expect(paramsKey({ workers: 2, intervalMs: 100 })).toBe(paramsKey({ intervalMs: 100, workers: 2 }));
    expect(paramsKey({ workers: 2, intervalMs: 100 })).not.toBe(paramsKey({ workers: 2, intervalMs: 10 }));
    expect(paramsKey({ workers: 2, intervalMs: undefined })).toBe(paramsKey({ workers: 2 }));
  });
});
