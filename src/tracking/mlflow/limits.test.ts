import { describe, expect, it } from 'vitest';
import {
  clampParam,
  clampTag,
  LOG_BATCH_LIMITS,
  MAX_PARAM_VALUE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  splitLogBatch,
} from './limits.js';

const metric = (step: number) => ({ key: 'm', value: step, timestamp: 0, step });
const kv = (i: number) => ({ key: `k${i}`, value: 'v' });

describe('splitLogBatch', () => {
  it('keeps a small batch whole and an empty one empty', () => {
    expect(splitLogBatch({ metrics: [metric(0)], params: [kv(0)], tags: [] })).toEqual([
      { metrics: [metric(0)], params: [kv(0)], tags: [] },
    ]);
    expect(splitLogBatch({ metrics: [], params: [], tags: [] })).toEqual([]);
  });

  it('never exceeds any limit and keeps every item once, in order', () => {
    const items = {
      metrics: Array.from({ length: 2_345 }, (_, i) => metric(i)),
      params: Array.from({ length: 250 }, (_, i) => kv(i)),
      tags: Array.from({ length: 130 }, (_, i) => kv(i)),
    };
    const batches = splitLogBatch(items);
    for (const b of batches) {
      expect(b.metrics.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.metrics);
      expect(b.params.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.params);
      expect(b.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.tags);
      expect(b.metrics.length + b.params.length + b.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.total);
    }
    expect(batches.flatMap((b) => b.metrics)).toEqual(items.metrics);
    expect(batches.flatMap((b) => b.params)).toEqual(items.params);
    expect(batches.flatMap((b) => b.tags)).toEqual(items.tags);
  });
});

describe('clampParam and clampTag', () => {
  it("keep values up to MLflow's limits whole and mark the ones they cut", () => {
    expect(clampParam('abc')).toBe('abc');
    expect(clampParam('x'.repeat(6000))).toBe('x'.repeat(6000));
    const param = clampParam('x'.repeat(6001));
    expect(param).toHaveLength(MAX_PARAM_VALUE_LENGTH);
    expect(param.endsWith('...[truncated]')).toBe(true);
    expect(clampTag('y'.repeat(8000))).toBe('y'.repeat(8000));
    const tag = clampTag('y'.repeat(9000));
    expect(tag).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(tag.endsWith('...[truncated]')).toBe(true);
  });
});
