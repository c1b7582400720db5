import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import type { CsoFigure } from '../sources/types.js';
import { planCsoEnergy, quarterStart, type QuarterEnergy } from './cso-energy.js';
import { readTranscribedCso } from './test-support/cso-csv.js';
import { thrownBy } from './test-support/points.js';

function figure(
  year: number,
  quarter: number | null,
  metric: CsoFigure['metric'],
  value: number,
  status = 'published',
): CsoFigure {
  const unit = metric === 'data_centre_share_of_total_metered_electricity' ? 'percent' : 'GWh';
  return { year, quarter, metric, value, unit, status, sourceUrl: 'https://www.cso.ie/', note: '' };
}
const annual = (year: number, gwh: number, status?: string) =>
  figure(year, null, 'data_centre_consumption', gwh, status);
const quarter = (year: number, q: number, gwh: number, status?: string) =>
  figure(year, q, 'data_centre_consumption', gwh, status);

const of = (quarters: QuarterEnergy[], year: number) => quarters.filter((q) => q.year === year);
const gwh = (quarters: QuarterEnergy[], year: number) => of(quarters, year).map((q) => q.gwh);

/** Hours in each local quarter of a year that has ordinary clock changes: Q1 loses, Q4 gains an hour. */
const QUARTER_HOURS = [2159, 2184, 2208, 2209];

/** sum_{j=a}^{b-1} r^((j + 0.5) / N): the growth-profile weight of hours a..b-1, in closed form. */
function geometric(r: number, a: number, b: number, n: number): number {
  const step = Math.pow(r, 1 / n);
  return (Math.pow(r, (a + 0.5) / n) * (Math.pow(step, b - a) - 1)) / (step - 1);
}

describe('CSO quarter energies', () => {
  it('puts quarter boundaries at Irish local midnight', () => {
    expect(new Date(quarterStart(2024, 1)).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new Date(quarterStart(2024, 2)).toISOString()).toBe('2024-03-31T23:00:00.000Z');
    expect(new Date(quarterStart(2024, 4)).toISOString()).toBe('2024-09-30T23:00:00.000Z');
    expect(new Date(quarterStart(2024, 5)).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('splits an annual figure along the growth between its neighbouring years', () => {
    const plan = planCsoEnergy([annual(2010, 100), annual(2011, 121), annual(2012, 146.41)]);
    const r = Math.sqrt(146.41 / 100);
    expect(plan.growth.get(2011)).toBeCloseTo(r, 12);
    expect(plan.growth.get(2010)).toBeCloseTo(1.21, 12);
    const bounds = [0, 2159, 4343, 6551, 8760];
    const total = geometric(r, 0, 8760, 8760);
    const expected = [0, 1, 2, 3].map((q) => (121 * geometric(r, bounds[q]!, bounds[q + 1]!, 8760)) / total);
    gwh(plan.quarters, 2011).forEach((value, q) => expect(value).toBeCloseTo(expected[q]!, 9));
    expect(gwh(plan.quarters, 2011).reduce((s, v) => s + v, 0)).toBeCloseTo(121, 10);
    expect(of(plan.quarters, 2011).every((q) => q.method === 'annual_split' && q.basis === 'published')).toBe(
      true,
    );
  });

  it('honours a published quarter and shares the rest of the year among the others', () => {
    const plan = planCsoEnergy([
      annual(2010, 100),
      annual(2011, 121),
      annual(2012, 146.41),
      quarter(2011, 4, 40),
    ]);
    const r = Math.sqrt(146.41 / 100);
    const bounds = [0, 2159, 4343, 6551];
    const rest = geometric(r, 0, 6551, 8760);
    const q2011 = of(plan.quarters, 2011);
    expect(q2011.map((q) => q.method)).toEqual([
      'annual_split',
      'annual_split',
      'annual_split',
      'published_quarter',
    ]);
    expect(q2011[3]!.gwh).toBe(40);
    [0, 1, 2].forEach((q) =>
      expect(q2011[q]!.gwh).toBeCloseTo((81 * geometric(r, bounds[q]!, bounds[q + 1]!, 8760)) / rest, 9),
    );
  });

  it('estimates a year from its share of total metered consumption, interpolating the total', () => {
    const plan = planCsoEnergy([
      figure(2010, null, 'total_metered_electricity_consumption', 1000),
      figure(2014, null, 'total_metered_electricity_consumption', 1400),
      figure(2012, null, 'data_centre_share_of_total_metered_electricity', 10, 'published_in_press'),
    ]);
    const q2012 = of(plan.quarters, 2012);
    // Total 2012 = 1000 + (2/4) * 400 = 1200; 10 % of it = 120 GWh, no neighbours: growth 1, split by hours
    // (2012 is a leap year: 8784 hours, Q1 2183).
    expect(q2012.reduce((s, q) => s + q.gwh, 0)).toBeCloseTo(120, 10);
    expect(q2012[0]!.gwh).toBeCloseTo((120 * 2183) / 8784, 10);
    expect(q2012.every((q) => q.basis === 'estimated' && q.method === 'share_estimate')).toBe(true);
    expect(q2012[0]!.inputs.map((i) => i.metric)).toEqual([
      'data_centre_share_of_total_metered_electricity',
      'total_metered_electricity_consumption',
      'total_metered_electricity_consumption',
    ]);
  });

  it('extrapolates the missing quarters from published ones when there is no usable annual figure', () => {
    const plan = planCsoEnergy([quarter(2013, 1, 30)]);
    const q2013 = of(plan.quarters, 2013);
    expect(q2013[0]).toMatchObject({ gwh: 30, basis: 'published', method: 'published_quarter' });
    [1, 2, 3].forEach((q) => {
      expect(q2013[q]!.gwh).toBeCloseTo((30 * QUARTER_HOURS[q]!) / QUARTER_HOURS[0]!, 10);
      expect(q2013[q]).toMatchObject({ basis: 'estimated', method: 'quarter_extrapolated' });
    });
    // An estimated annual figure below the published quarters gives way to them, with a note.
    const low = planCsoEnergy([
      figure(2013, null, 'total_metered_electricity_consumption', 100),
      figure(2013, null, 'data_centre_share_of_total_metered_electricity', 1),
      quarter(2013, 1, 30),
    ]);
    expect(of(low.quarters, 2013)[1]!.method).toBe('quarter_extrapolated');
    expect(low.notes[0]).toMatch(/2013: estimated annual 1 GWh is below the published quarters/);
  });

  it('prefers MEC02 (pxstat) over other statuses for the same period', () => {
    const plan = planCsoEnergy([
      quarter(2015, 1, 290, 'published'),
      quarter(2015, 1, 301, 'pxstat'),
      quarter(2015, 1, 280, 'secondary_unverified'),
    ]);
    expect(of(plan.quarters, 2015)[0]).toMatchObject({ gwh: 301, inputs: [{ status: 'pxstat' }] });
  });

  it('rejects contradictory published figures and malformed ones', () => {
    const contradiction = thrownBy(() => planCsoEnergy([annual(2020, 100), quarter(2020, 4, 150)]));
    expect(isDcgridError(contradiction, 'E_VALUE_INVALID')).toBe(true);
    expect(String(contradiction)).toMatch(/more than the annual 100 GWh/);
    expect(() => planCsoEnergy([{ ...annual(2020, 100), unit: 'percent' }])).toThrow(/expected GWh/);
    expect(() =>
      planCsoEnergy([figure(2020, null, 'data_centre_share_of_total_metered_electricity', 140)]),
    ).toThrow(/out of range/);
    expect(() => planCsoEnergy([quarter(2020, 5, 1)])).toThrow(/quarter must be 1..4/);
  });
});

describe('CSO quarter energies from the transcribed figures', () => {
  const figures = readTranscribedCso();
  const plan = planCsoEnergy(figures);
  const published = (year: number, q: number | null) =>
    figures.find((f) => f.metric === 'data_centre_consumption' && f.year === year && f.quarter === q)?.value;

  it('covers 2015-2025 with four quarters each, summing to every published annual figure', () => {
    for (let year = 2015; year <= 2025; year++) {
      const quarters = of(plan.quarters, year);
      expect(quarters.map((q) => q.quarter)).toEqual([1, 2, 3, 4]);
      const annualFigure = published(year, null);
      const sum = quarters.reduce((s, q) => s + q.gwh, 0);
      if (annualFigure !== undefined) expect(Math.abs(sum / annualFigure - 1)).toBeLessThan(1e-12);
      for (const q of quarters) {
        const quarterFigure = published(year, q.quarter);
        if (quarterFigure !== undefined)
          expect(q).toMatchObject({ gwh: quarterFigure, method: 'published_quarter' });
      }
    }
  });

  it('estimates 2016-2019 and 2021 from their shares of an interpolated total', () => {
    // Totals: 24 600 GWh (2015), 29 500 GWh (2022); 2021 = 24 600 + 6/7 * 4 900 = 28 800; 14 % -> 4 032 GWh,
    // of which Q4 is published (1 058 GWh).
    const q2021 = of(plan.quarters, 2021);
    expect(q2021.reduce((s, q) => s + q.gwh, 0)).toBeCloseTo(0.14 * 28_800, 9);
    expect(q2021.slice(0, 3).every((q) => q.basis === 'estimated')).toBe(true);
    // 2016: 6 % of 24 600 + 1/7 * 4 900 = 25 300 -> 1 518 GWh.
    expect(of(plan.quarters, 2016).reduce((s, q) => s + q.gwh, 0)).toBeCloseTo(1518, 9);
    expect(plan.notes).toEqual([]);
  });
});
