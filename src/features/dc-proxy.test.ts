import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../lib/time.js';
import type { CsoFigure } from '../sources/types.js';
import { planCsoEnergy, profileWeight, type CsoEnergyPlan } from './cso-energy.js';
import { DC_SHAPE, dataCentreProxy, quartersOverGrid } from './dc-proxy.js';
import type { HourGrid } from './hourly.js';
import { readTranscribedCso } from './test-support/cso-csv.js';

const gwhFigure = (year: number, quarter: number | null, value: number): CsoFigure => ({
  year,
  quarter,
  metric: 'data_centre_consumption',
  value,
  unit: 'GWh',
  status: 'published',
  sourceUrl: 'https://www.cso.ie/',
  note: '',
});

function gridOf(from: string, to: string): HourGrid {
  const start = Date.parse(from);
  return { start, hours: (Date.parse(to) - start) / HOUR_MS };
}

const filled = (n: number, f: (h: number) => number) => Float64Array.from({ length: n }, (_, h) => f(h));
const nan = (n: number) => new Float64Array(n).fill(Number.NaN);

/** Daily demand cycle, a renewable share that drifts, price z-scores from -4 to 4. */
function realisticInputs(grid: HourGrid) {
  return {
    demand: filled(
      grid.hours,
      (h) => 4500 + 900 * Math.sin((2 * Math.PI * h) / 24) + 300 * Math.sin(h / 500),
    ),
    renewableShare: filled(grid.hours, (h) => 0.35 + 0.3 * Math.sin(h / 37)),
    priceZ: filled(grid.hours, (h) => 4 * Math.sin(h / 11)),
  };
}

function sumOver(load: Float64Array, grid: HourGrid, from: number, to: number): number {
  let sum = 0;
  for (let h = 0; h < grid.hours; h++) {
    const t = grid.start + h * HOUR_MS;
    if (t >= from && t < to) sum += load[h]!;
  }
  return sum;
}

const relErr = (a: number, b: number) => Math.abs(a / b - 1);

describe('data-centre proxy', () => {
  const plan = planCsoEnergy(readTranscribedCso());
  const grid = gridOf('2023-01-01T00:00Z', '2025-01-01T00:00Z');
  const result = dataCentreProxy({ grid, plan, ...realisticInputs(grid) });

  it('conserves every CSO quarter energy and every annual figure (to 1e-6 relative)', () => {
    for (const q of plan.quarters.filter((p) => p.year === 2023 || p.year === 2024)) {
      expect(relErr(sumOver(result.load, grid, q.start, q.end), q.gwh * 1000)).toBeLessThan(1e-6);
    }
    const year = (y: number) => sumOver(result.load, grid, Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1));
    expect(relErr(year(2023), 6334 * 1000)).toBeLessThan(1e-6);
    expect(relErr(year(2024), 6969 * 1000)).toBeLessThan(1e-6);
    // Q4 2024 is published: 1 829 GWh.
    expect(
      relErr(
        sumOver(result.load, grid, Date.parse('2024-09-30T23:00Z'), grid.start + grid.hours * HOUR_MS),
        1_829_000,
      ),
    ).toBeLessThan(1e-6);
  });

  it('stays within the +-10 % band around the growth trend in every quarter', () => {
    for (const slot of quartersOverGrid(grid)) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      for (let h = slot.first; h < slot.last; h++) {
        const trend = profileWeight(grid.start + h * HOUR_MS, slot.year, plan.growth.get(slot.year)!);
        const ratio = result.load[h]! / trend;
        lo = Math.min(lo, ratio);
        hi = Math.max(hi, ratio);
      }
      expect(hi / lo).toBeLessThanOrEqual((1 + DC_SHAPE.band) / (1 - DC_SHAPE.band) + 1e-12);
      // The realistic inputs push the response against both edges of the band.
      expect(hi / lo).toBeGreaterThan(1.2);
    }
    expect(result.periods.map((p) => `${p.year}Q${p.quarter}:${p.basis}`)).toEqual([
      '2023Q1:published',
      '2023Q2:published',
      '2023Q3:published',
      '2023Q4:published',
      '2024Q1:published',
      '2024Q2:published',
      '2024Q3:published',
      '2024Q4:published',
    ]);
    expect(result.energyFromAnnual[0]).toBe(1);
    expect(result.energyFromAnnual[grid.hours - 1]).toBe(0);
    expect(result.shapePartial.every((x) => x === 0)).toBe(true);
  });

  it('rises with demand and renewables and falls with price, after the 3-hour smoothing', () => {
    // One year with no neighbours (growth 1): 8 760 GWh, 1 000 MW on average.
    const g = gridOf('2030-01-01T00:00Z', '2031-01-01T00:00Z');
    const flatPlan = planCsoEnergy([gwhFigure(2030, null, 8760)]);
    // Six-hour blocks: demand 5000 / 4000 (mean 4500); price z 2 in every fourth block; share 0.5 / 0.3 by block.
    const block = (h: number) => Math.floor(h / 6);
    const demand = filled(g.hours, (h) => (block(h) % 2 === 0 ? 5000 : 4000));
    const priceZ = filled(g.hours, (h) => (block(h) % 4 === 0 ? 2 : 0));
    const renewableShare = filled(g.hours, (h) => (block(h) % 3 === 0 ? 0.5 : 0.3));
    const { load } = dataCentreProxy({ grid: g, plan: flatPlan, demand, priceZ, renewableShare });
    // Hours 3..5 of a block see only that block's inputs (the 3-hour smoothing has settled). The terms
    // are relative to the quarter's mean demand and share (Q1: 2 159 hours, not a whole number of cycles).
    const q1 = quartersOverGrid(g)[0]!;
    const meanOf = (values: Float64Array) => {
      let s = 0;
      for (let h = q1.first; h < q1.last; h++) s += values[h]!;
      return s / (q1.last - q1.first);
    };
    const [meanDemand, meanShare] = [meanOf(demand), meanOf(renewableShare)];
    const s = (d: number, z: number, share: number) =>
      1 +
      DC_SHAPE.demandGain * (d / meanDemand - 1) -
      DC_SHAPE.priceGain * z +
      DC_SHAPE.renewGain * (share - meanShare);
    // Block 0: demand 5000, price z 2, share 0.5. Block 1: 4000, z 0, 0.3. Block 2: 5000, z 0, 0.3.
    expect(load[5]! / load[11]!).toBeCloseTo(s(5000, 2, 0.5) / s(4000, 0, 0.3), 12);
    expect(load[17]! / load[5]!).toBeCloseTo(s(5000, 0, 0.3) / s(5000, 2, 0.5), 12);
    expect(load[17]!).toBeGreaterThan(load[11]!);
  });

  it('falls back to the growth trend where inputs are missing, still conserving energy', () => {
    const g = gridOf('2024-01-01T00:00Z', '2025-01-01T00:00Z');
    const r = dataCentreProxy({
      grid: g,
      plan,
      demand: nan(g.hours),
      renewableShare: nan(g.hours),
      priceZ: nan(g.hours),
    });
    expect(r.shapePartial.every((x) => x === 1)).toBe(true);
    const q4 = plan.quarters.find((q) => q.year === 2024 && q.quarter === 4)!;
    const growth = plan.growth.get(2024)!;
    let weightSum = 0;
    for (let t = q4.start; t < q4.end; t += HOUR_MS) weightSum += profileWeight(t, 2024, growth);
    const h = (q4.start - g.start) / HOUR_MS + 100;
    expect(r.load[h]).toBeCloseTo(
      (1_829_000 * profileWeight(g.start + h * HOUR_MS, 2024, growth)) / weightSum,
      9,
    );
    expect(relErr(sumOver(r.load, g, q4.start, q4.end), 1_829_000)).toBeLessThan(1e-12);
  });

  it('scales a partly covered quarter to the hours it covers', () => {
    // 2030: growth 1, Q1 = 2 159 hours (the spring clock change) with 2 159 GWh -> 1 000 MW on average.
    const flatPlan = planCsoEnergy([gwhFigure(2030, null, 8760)]);
    const g = gridOf('2030-03-01T00:00Z', '2030-05-01T00:00Z');
    const r = dataCentreProxy({
      grid: g,
      plan: flatPlan,
      demand: nan(g.hours),
      renewableShare: nan(g.hours),
      priceZ: nan(g.hours),
    });
    const [q1, q2] = r.periods;
    // March 2030 up to local midnight on 1 April (31 Mar 23:00 UTC): 30 * 24 + 23 = 743 hours.
    expect(q1).toMatchObject({ quarter: 1, coveredHours: 743, periodHours: 2159, basis: 'published' });
    expect(q1!.targetMwh).toBeCloseTo(743_000, 6);
    expect(r.load[0]).toBeCloseTo(1000, 9);
    expect(q2).toMatchObject({ quarter: 2, coveredHours: g.hours - 743, periodHours: 2184 });
    expect(r.periodPartial[0]).toBe(1);
    expect(r.periodPartial[g.hours - 1]).toBe(1);
  });

  it('estimates a share-only year (flagged) and leaves a year without figures empty', () => {
    const estimatedPlan: CsoEnergyPlan = planCsoEnergy([
      { ...gwhFigure(2030, null, 30_000), metric: 'total_metered_electricity_consumption' },
      {
        ...gwhFigure(2030, null, 20),
        metric: 'data_centre_share_of_total_metered_electricity',
        unit: 'percent',
      },
    ]);
    const g = gridOf('2029-10-01T00:00Z', '2031-01-01T00:00Z');
    const r = dataCentreProxy({ grid: g, plan: estimatedPlan, ...realisticInputs(g) });
    const y2030 = sumOver(r.load, g, Date.UTC(2030, 0, 1), Date.UTC(2031, 0, 1));
    expect(relErr(y2030, 0.2 * 30_000 * 1000)).toBeLessThan(1e-6);
    const h2030 = (Date.UTC(2030, 0, 1) - g.start) / HOUR_MS;
    expect([r.energyEstimated[h2030], r.energyFromAnnual[h2030], r.energyUnknown[h2030]]).toEqual([1, 1, 0]);
    expect(r.load[0]).toBeNaN();
    expect([r.energyUnknown[0], r.shapePartial[0]]).toEqual([1, 0]);
    expect(r.periods[0]).toMatchObject({ year: 2029, quarter: 4, basis: 'none', gwh: null });
  });

  it('lists the local quarters that overlap a grid', () => {
    const slots = quartersOverGrid(gridOf('2023-12-31T22:00Z', '2024-04-01T02:00Z'));
    expect(slots.map((s) => [s.year, s.quarter, s.first, s.last])).toEqual([
      [2023, 4, 0, 2],
      [2024, 1, 2, 2185],
      [2024, 2, 2185, 2188],
    ]);
  });
});
