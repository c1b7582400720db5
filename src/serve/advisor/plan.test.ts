import { describe, expect, it } from 'vitest';
import { chooseHours, startAtOnce, type HourInputs, type JobSpec } from './plan.js';

const flat = (v: number) => ({ p10: v, p50: v, p90: v });
function window(prices: number[], carbon?: number[]): HourInputs[] {
  return prices.map((p, h) => ({
    ts: h * 3_600_000,
    price: flat(p),
    ...(carbon ? { carbon: flat(carbon[h]!) } : {}),
  }));
}
const job = (over: Partial<JobSpec> = {}): JobSpec => ({
  powerMw: 2,
  durationHours: 3,
  weights: { price: 1, carbon: 0, stress: 0 },
  splittable: false,
  ...over,
});

describe('advisor arithmetic', () => {
  // Hours 3-5 are the cheap run (10, 20, 30); hours 1, 7 and 20 are single cheap hours (5).
  const prices = Array.from({ length: 24 }, (_, h) => ({ 1: 5, 3: 10, 4: 20, 5: 30, 7: 5, 20: 5 })[h] ?? 100);

  it('finds the cheapest contiguous window and costs it: EUR/MWh x MW x h', () => {
    const best = chooseHours(window(prices), job());
    expect(best.blocks).toEqual([{ start: 3, end: 6 }]);
    expect(best.totals.costEur).toEqual(flat(120));
    expect(startAtOnce(window(prices), job()).totals.costEur).toEqual(flat(2 * (100 + 5 + 100)));
  });

  it('splits into the cheapest hours, within the block limit', () => {
    const free = chooseHours(window(prices), job({ splittable: true }));
    expect(free.hours).toEqual([1, 7, 20]);
    expect(free.totals.costEur!.p50).toBe(30);
    const two = chooseHours(window(prices), job({ splittable: true, maxBlocks: 2 }));
    expect(two.blocks).toHaveLength(2);
    expect(two.totals.costEur!.p50).toBe(70); // 5 + (10 + 20), x 2 MW
    const one = chooseHours(window(prices), job({ splittable: true, maxBlocks: 1 }));
    expect(one.hours).toEqual([3, 4, 5]);
  });

  it('mixes objectives by weight on a common scale, and converts carbon to kg', () => {
    const carbon = Array.from({ length: 24 }, (_, h) => (h >= 12 && h < 15 ? 50 : 400));
    const hours = window(prices, carbon);
    const green = chooseHours(hours, job({ weights: { price: 0, carbon: 1, stress: 0 } }));
    expect(green.blocks).toEqual([{ start: 12, end: 15 }]);
    expect(green.totals.carbonKg!.p50).toBe(3 * 50 * 2); // gCO2/kWh x MWh = kg
    const mostlyPrice = chooseHours(hours, job({ weights: { price: 0.9, carbon: 0.1, stress: 0 } }));
    expect(mostlyPrice.blocks).toEqual([{ start: 3, end: 6 }]);
    expect(green.totals.meanStress).toBeNull();
  });
});
