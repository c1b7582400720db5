import { describe, expect, it } from 'vitest';
import { countPairs, seededRandom, selectPairs } from './samples.js';

describe('training pair selection', () => {
  const window = { firstOrigin: 10, targetFrom: 0, targetTo: 100, horizon: 5 };

  it('enumerates every pair when they fit in the budget, targets inside the window', () => {
    const pairs = selectPairs(window, 10_000, seededRandom(1), () => true);
    expect(pairs.origins.length).toBe(countPairs(window));
    for (let i = 0; i < pairs.origins.length; i++) {
      const target = pairs.origins[i]! + pairs.horizons[i]! - 1;
      expect(pairs.origins[i]!).toBeGreaterThanOrEqual(10);
      expect(target).toBeLessThan(100);
    }
  });

  it('draws a reproducible, duplicate-free sample covering every horizon when over budget', () => {
    const wide = { firstOrigin: 168, targetFrom: 0, targetTo: 5000, horizon: 168 };
    const a = selectPairs(wide, 3000, seededRandom(7), () => true);
    const b = selectPairs(wide, 3000, seededRandom(7), () => true);
    expect(a).toEqual(b);
    expect(a.origins.length).toBe(3000);
    const keys = new Set(Array.from(a.origins, (o, i) => `${o}:${a.horizons[i]}`));
    expect(keys.size).toBe(3000);
    expect(new Set(a.horizons).size).toBe(168);
    expect(selectPairs(wide, 3000, seededRandom(8), () => true)).not.toEqual(a);
  });

  it('keeps only usable pairs and validation targets after the split', () => {
    const validation = { firstOrigin: 10, targetFrom: 90, targetTo: 100, horizon: 24 };
    const pairs = selectPairs(validation, 10_000, seededRandom(1), (origin) => origin % 2 === 0);
    expect(pairs.origins.every((o) => o % 2 === 0)).toBe(true);
    for (let i = 0; i < pairs.origins.length; i++) {
      expect(pairs.origins[i]! + pairs.horizons[i]! - 1).toBeGreaterThanOrEqual(90);
    }
  });
});
