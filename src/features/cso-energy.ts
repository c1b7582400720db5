/**
 * CSO data-centre figures -> an energy (GWh) for every quarter we can say something about.
 * - A published quarter is used as is.
 * - An annual figure is split over its other quarters by the year's growth profile: power grows
 *   geometrically through the year at the rate between the neighbouring years' annual energies, so
 *   each quarter gets the remainder (annual minus published quarters) in proportion to its profile
 *   weight (which also accounts for its length in hours).
 * - A year with only a share of total metered consumption gets annual = share x total, the total
 *   interpolated linearly between the years that publish one (estimated).
 * Method and the worked figures: docs/FEATURES.md ("Data-centre load proxy").
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS, irishWallToUtcMs } from '../lib/time.js';
import { CSO_METRIC_UNITS, CSO_STATUSES } from '../sources/cso/figures.js';
import type { CsoFigure } from '../sources/types.js';

export type EnergyBasis = 'published' | 'estimated';
export type QuarterMethod = 'published_quarter' | 'annual_split' | 'share_estimate' | 'quarter_extrapolated';

/** A CSO figure a period's energy was worked out from. */
export interface CsoInput {
  year: number;
  quarter: number | null;
  metric: CsoFigure['metric'];
  value: number;
  status: string;
}

export interface QuarterEnergy {
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** [start, end): UTC ms of local (Europe/Dublin) midnight on the quarter's first day and the next quarter's. */
  start: number;
  end: number;
  gwh: number;
  basis: EnergyBasis;
  method: QuarterMethod;
  inputs: CsoInput[];
}

export interface CsoEnergyPlan {
  quarters: QuarterEnergy[];
  /** Within-year growth factor per year (power at year end / power at year start). */
  growth: Map<number, number>;
  notes: string[];
}

/** Growth factors outside this range are clamped (they would mean a data error, not growth). */
const GROWTH_RANGE = [0.5, 2] as const;

function statusRank(status: string): number {
  const index = (CSO_STATUSES as readonly string[]).indexOf(status);
  return index < 0 ? CSO_STATUSES.length : index;
}

const quarterStarts = new Map<number, number>();

/** UTC ms of local midnight starting quarter q (1..5: 5 = next year's Q1). */
export function quarterStart(year: number, quarter: number): number {
  const key = year * 8 + quarter;
  let start = quarterStarts.get(key);
  if (start === undefined) {
    // Local midnight on the 1st of a month is never inside the spring gap.
    start = irishWallToUtcMs(Date.UTC(year, 3 * (quarter - 1), 1))!;
    quarterStarts.set(key, start);
  }
  return start;
}

function checkFigure(figure: CsoFigure): void {
  const where = `CSO ${figure.metric} ${figure.year}${figure.quarter ? ` Q${figure.quarter}` : ''}`;
  if (!Number.isInteger(figure.year)) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `${where}: year must be a whole number`);
  }
  if (figure.quarter !== null && ![1, 2, 3, 4].includes(figure.quarter)) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `${where}: quarter must be 1..4 or null`);
  }
  if (CSO_METRIC_UNITS[figure.metric] !== figure.unit) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `${where}: unit ${figure.unit}, expected ${CSO_METRIC_UNITS[figure.metric]}`,
    );
  }
  const maxValue = figure.unit === 'percent' ? 100 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(figure.value) || figure.value < 0 || figure.value > maxValue) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `${where}: value ${figure.value} out of range`);
  }
}

/** One figure per (year, quarter, metric): the best-ranked status wins. */
function pickFigures(figures: readonly CsoFigure[]): Map<string, CsoFigure> {
  const best = new Map<string, CsoFigure>();
  for (const figure of figures) {
    checkFigure(figure);
    const key = `${figure.metric}|${figure.year}|${figure.quarter ?? 0}`;
    const current = best.get(key);
    if (!current || statusRank(figure.status) < statusRank(current.status)) best.set(key, figure);
  }
  return best;
}

function toInput(figure: CsoFigure): CsoInput {
  const { year, quarter, metric, value, status } = figure;
  return { year, quarter, metric, value, status };
}

interface AnnualEnergy {
  gwh: number;
  basis: EnergyBasis;
  /** How the annual figure was obtained. */
  from: 'annual' | 'quarters' | 'share';
  inputs: CsoInput[];
}

/** Total metered consumption of a year: published, else linear between the nearest published years, else the nearest. */
function totalMetered(
  year: number,
  totals: ReadonlyMap<number, CsoFigure>,
): { gwh: number; inputs: CsoInput[] } | null {
  const exact = totals.get(year);
  if (exact) return { gwh: exact.value, inputs: [toInput(exact)] };
  const years = [...totals.keys()].sort((a, b) => a - b);
  const before = years.filter((y) => y < year).at(-1);
  const after = years.find((y) => y > year);
  if (before !== undefined && after !== undefined) {
    const a = totals.get(before)!;
    const b = totals.get(after)!;
    const t = (year - before) / (after - before);
    return { gwh: a.value + t * (b.value - a.value), inputs: [toInput(a), toInput(b)] };
  }
  const nearest = before ?? after;
  if (nearest === undefined) return null;
  const figure = totals.get(nearest)!;
  return { gwh: figure.value, inputs: [toInput(figure)] };
}

function growthFactor(year: number, annual: ReadonlyMap<number, AnnualEnergy>): number {
  const prev = annual.get(year - 1)?.gwh;
  const here = annual.get(year)?.gwh;
  const next = annual.get(year + 1)?.gwh;
  let factor = 1;
  if (prev !== undefined && next !== undefined && prev > 0) factor = Math.sqrt(next / prev);
  else if (here !== undefined && next !== undefined && here > 0) factor = next / here;
  else if (here !== undefined && prev !== undefined && prev > 0) factor = here / prev;
  return Math.min(GROWTH_RANGE[1], Math.max(GROWTH_RANGE[0], factor));
}

/**
 * Weight of the hour starting at `hourStart` in its year's growth profile: growth^(f) with f the
 * fraction of the year elapsed at the hour's midpoint.
 */
export function profileWeight(hourStart: number, year: number, growth: number): number {
  if (growth === 1) return 1;
  const from = quarterStart(year, 1);
  const to = quarterStart(year, 5);
  return Math.pow(growth, (hourStart + HOUR_MS / 2 - from) / (to - from));
}

/** Sum of profile weights over the whole hours of [from, to) inside `year`. */
export function profileSum(from: number, to: number, year: number, growth: number): number {
  if (growth === 1) return (to - from) / HOUR_MS;
  let sum = 0;
  for (let t = from; t < to; t += HOUR_MS) sum += profileWeight(t, year, growth);
  return sum;
}

function annualEnergies(picked: ReadonlyMap<string, CsoFigure>): Map<number, AnnualEnergy> {
  const byMetric = (metric: CsoFigure['metric'], quarter: number | null) =>
    new Map(
      [...picked.values()]
        .filter((f) => f.metric === metric && f.quarter === quarter)
        .map((f) => [f.year, f]),
    );
  const annualFigures = byMetric('data_centre_consumption', null);
  const shares = byMetric('data_centre_share_of_total_metered_electricity', null);
  const totals = byMetric('total_metered_electricity_consumption', null);
  const quarterFigures = [...picked.values()].filter(
    (f) => f.metric === 'data_centre_consumption' && f.quarter !== null,
  );
  const years = new Set([...annualFigures.keys(), ...shares.keys(), ...quarterFigures.map((f) => f.year)]);
  const annual = new Map<number, AnnualEnergy>();
  for (const year of years) {
    const figure = annualFigures.get(year);
    const quarters = quarterFigures.filter((f) => f.year === year);
    if (figure) {
      annual.set(year, { gwh: figure.value, basis: 'published', from: 'annual', inputs: [toInput(figure)] });
    } else if (quarters.length === 4) {
      annual.set(year, {
        gwh: quarters.reduce((s, f) => s + f.value, 0),
        basis: 'published',
        from: 'quarters',
        inputs: quarters.map(toInput),
      });
    } else {
      const share = shares.get(year);
      const total = share ? totalMetered(year, totals) : null;
      if (share && total) {
        annual.set(year, {
          gwh: (share.value / 100) * total.gwh,
          basis: 'estimated',
          from: 'share',
          inputs: [toInput(share), ...total.inputs],
        });
      }
    }
  }
  return annual;
}

export function planCsoEnergy(figures: readonly CsoFigure[]): CsoEnergyPlan {
  const picked = pickFigures(figures);
  const annual = annualEnergies(picked);
  const publishedQuarters = [...picked.values()].filter(
    (f) => f.metric === 'data_centre_consumption' && f.quarter !== null,
  );
  const years = [...new Set([...annual.keys(), ...publishedQuarters.map((f) => f.year)])].sort(
    (a, b) => a - b,
  );
  const growth = new Map<number, number>();
  for (const year of years) growth.set(year, growthFactor(year, annual));
  const quarters: QuarterEnergy[] = [];
  const notes: string[] = [];
  for (const year of years) {
    const r = growth.get(year)!;
    const bounds = [1, 2, 3, 4, 5].map((q) => quarterStart(year, q));
    const weight = (q: number) => profileSum(bounds[q - 1]!, bounds[q]!, year, r);
    const known = publishedQuarters.filter((f) => f.year === year);
    const knownSet = new Set(known.map((f) => f.quarter));
    const missing = [1, 2, 3, 4].filter((q) => !knownSet.has(q));
    const push = (q: number, gwh: number, basis: EnergyBasis, method: QuarterMethod, inputs: CsoInput[]) =>
      quarters.push({
        year,
        quarter: q as QuarterEnergy['quarter'],
        start: bounds[q - 1]!,
        end: bounds[q]!,
        gwh,
        basis,
        method,
        inputs,
      });
    for (const f of known) push(f.quarter!, f.value, 'published', 'published_quarter', [toInput(f)]);
    if (missing.length === 0) {
      const a = annual.get(year);
      const sum = known.reduce((s, f) => s + f.value, 0);
      if (a && a.from === 'annual' && Math.abs(sum - a.gwh) > 0.005 * a.gwh) {
        notes.push(
          `${year}: the four published quarters sum to ${sum} GWh, the annual figure is ${a.gwh} GWh; quarters used`,
        );
      }
      continue;
    }
    const knownSum = known.reduce((s, f) => s + f.value, 0);
    const knownInputs = known.map(toInput);
    const missingWeight = missing.reduce((s, q) => s + weight(q), 0);
    const a = annual.get(year);
    const remainder = a ? a.gwh - knownSum : Number.NaN;
    if (a && remainder >= 0) {
      const method: QuarterMethod = a.basis === 'published' ? 'annual_split' : 'share_estimate';
      for (const q of missing) {
        push(q, (remainder * weight(q)) / missingWeight, a.basis, method, [...a.inputs, ...knownInputs]);
      }
      continue;
    }
    if (a && a.basis === 'published') {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `CSO ${year}: published quarters sum to ${knownSum} GWh, more than the annual ${a.gwh} GWh`,
      );
    }
    if (known.length > 0) {
      // No usable annual figure: the missing quarters follow the published ones along the growth profile.
      const knownWeight = known.reduce((sum, f) => sum + weight(f.quarter!), 0);
      for (const q of missing) {
        push(q, (knownSum * weight(q)) / knownWeight, 'estimated', 'quarter_extrapolated', knownInputs);
      }
      if (a) {
        notes.push(
          `${year}: estimated annual ${a.gwh.toFixed(0)} GWh is below the published quarters (${knownSum} GWh); quarters extrapolated instead`,
        );
      }
    }
  }
  quarters.sort((a, b) => a.start - b.start);
  return { quarters, growth, notes };
}
