/**
 * Data-centre load proxy (MW per hour), energy-conserving per CSO quarter:
 *   dc(h) = T_P * s(h) / sum_{k in P} s(k)
 * with T_P the quarter's energy (MWh; scaled to the covered part of a partly covered quarter) and
 * s(h) = g(h) * (1 + clamp(x~(h), -BAND, BAND)), where g is the year's growth profile and x~ the
 * trailing 3-hour mean of a small response to demand, price and renewables. Every hourly value thus
 * stays within +-10 % of the growth trend before normalisation. docs/FEATURES.md has the details.
 */
import { HOUR_MS, isoHour } from '../lib/time.js';
import type { CsoFigure } from '../sources/types.js';
import {
  planCsoEnergy,
  profileSum,
  profileWeight,
  quarterStart,
  type CsoEnergyPlan,
  type CsoInput,
  type EnergyBasis,
  type QuarterMethod,
} from './cso-energy.js';
import type { HourGrid } from './hourly.js';

/** Shape parameters (dimensionless). */
export const DC_SHAPE = {
  /** Response to demand relative to its quarter mean: 0.2 x (D / mean D - 1). */
  demandGain: 0.2,
  /** Response to the price z-score (negative: data centres shed load at high prices): -0.015 x z. */
  priceGain: 0.015,
  /** The price z-score is clamped to +-3 before use. */
  priceZLimit: 3,
  /** Response to renewable share relative to its quarter mean: 0.1 x (share - mean share). */
  renewGain: 0.1,
  /** Trailing mean over this many hours (current included). */
  smoothingHours: 3,
  /** The smoothed response is clamped to +-BAND. */
  band: 0.1,
} as const;

export interface ProxyInputs {
  grid: HourGrid;
  demand: Float64Array;
  renewableShare: Float64Array;
  priceZ: Float64Array;
  plan: CsoEnergyPlan;
}

export interface CsoPeriodUsage {
  year: number;
  quarter: number;
  /** ISO hours, [start, end). */
  start: string;
  end: string;
  basis: EnergyBasis | 'none';
  method: QuarterMethod | null;
  /** The whole quarter's energy. */
  gwh: number | null;
  /** Energy the covered hours were normalised to. */
  targetMwh: number | null;
  coveredHours: number;
  periodHours: number;
  inputs: CsoInput[];
}

export interface ProxyResult {
  /** MW; NaN where the quarter has no energy. */
  load: Float64Array;
  energyEstimated: Uint8Array;
  energyFromAnnual: Uint8Array;
  energyUnknown: Uint8Array;
  periodPartial: Uint8Array;
  shapePartial: Uint8Array;
  periods: CsoPeriodUsage[];
}

const clamp = (x: number, limit: number) => Math.min(limit, Math.max(-limit, x));

function meanOfFinite(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let h = from; h < to; h++) {
    const x = values[h]!;
    if (!Number.isNaN(x)) {
      sum += x;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

interface QuarterSlot {
  year: number;
  quarter: number;
  start: number;
  end: number;
  /** Grid indices [first, last) inside the quarter. */
  first: number;
  last: number;
}

/** The quarters (local calendar) that overlap the grid, in order. */
export function quartersOverGrid(grid: HourGrid): QuarterSlot[] {
  const slots: QuarterSlot[] = [];
  const gridEnd = grid.start + grid.hours * HOUR_MS;
  const startDate = new Date(grid.start);
  let year = startDate.getUTCFullYear() - 1;
  let quarter = 1;
  while (quarterStart(year, quarter + 1) <= grid.start) {
    quarter++;
    if (quarter === 5) {
      year++;
      quarter = 1;
    }
  }
  for (;;) {
    const start = quarterStart(year, quarter);
    if (start >= gridEnd) break;
    const end = quarterStart(year, quarter + 1);
    const first = Math.max(0, Math.round((start - grid.start) / HOUR_MS));
    const last = Math.min(grid.hours, Math.round((end - grid.start) / HOUR_MS));
    if (last > first) slots.push({ year, quarter, start, end, first, last });
    quarter++;
    if (quarter === 5) {
      year++;
      quarter = 1;
    }
  }
  return slots;
}

/** The raw response x(h) of every grid hour, each quarter's terms relative to that quarter's means. */
function rawResponse(
  inputs: ProxyInputs,
  slots: readonly QuarterSlot[],
  shapePartial: Uint8Array,
): Float64Array {
  const { demand, renewableShare, priceZ } = inputs;
  const x = new Float64Array(inputs.grid.hours);
  for (const slot of slots) {
    const meanDemand = meanOfFinite(demand, slot.first, slot.last);
    const meanShare = meanOfFinite(renewableShare, slot.first, slot.last);
    for (let h = slot.first; h < slot.last; h++) {
      const d = demand[h]!;
      const z = priceZ[h]!;
      const share = renewableShare[h]!;
      let value = 0;
      let partial = false;
      if (!Number.isNaN(d) && meanDemand > 0) value += DC_SHAPE.demandGain * (d / meanDemand - 1);
      else partial = true;
      if (!Number.isNaN(z)) value -= DC_SHAPE.priceGain * clamp(z, DC_SHAPE.priceZLimit);
      else partial = true;
      if (!Number.isNaN(share)) value += DC_SHAPE.renewGain * (share - meanShare);
      else partial = true;
      x[h] = value;
      shapePartial[h] = partial ? 1 : 0;
    }
  }
  return x;
}

function smoothedShape(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let h = 0; h < x.length; h++) {
    sum += x[h]!;
    if (h >= DC_SHAPE.smoothingHours) sum -= x[h - DC_SHAPE.smoothingHours]!;
    const n = Math.min(h + 1, DC_SHAPE.smoothingHours);
    out[h] = 1 + clamp(sum / n, DC_SHAPE.band);
  }
  return out;
}

export function dataCentreProxy(inputs: ProxyInputs): ProxyResult {
  const { grid, plan } = inputs;
  const hours = grid.hours;
  const load = new Float64Array(hours).fill(Number.NaN);
  const energyEstimated = new Uint8Array(hours);
  const energyFromAnnual = new Uint8Array(hours);
  const energyUnknown = new Uint8Array(hours);
  const periodPartial = new Uint8Array(hours);
  const shapePartial = new Uint8Array(hours);
  const slots = quartersOverGrid(grid);
  const shape = smoothedShape(rawResponse(inputs, slots, shapePartial));
  const byKey = new Map(plan.quarters.map((q) => [`${q.year}Q${q.quarter}`, q]));
  const periods: CsoPeriodUsage[] = [];
  for (const slot of slots) {
    const energy = byKey.get(`${slot.year}Q${slot.quarter}`);
    const periodHours = Math.round((slot.end - slot.start) / HOUR_MS);
    const coveredHours = slot.last - slot.first;
    const usage: CsoPeriodUsage = {
      year: slot.year,
      quarter: slot.quarter,
      start: isoHour(slot.start),
      end: isoHour(slot.end),
      basis: 'none',
      method: null,
      gwh: null,
      targetMwh: null,
      coveredHours,
      periodHours,
      inputs: [],
    };
    periods.push(usage);
    if (!energy) {
      energyUnknown.fill(1, slot.first, slot.last);
      shapePartial.fill(0, slot.first, slot.last);
      continue;
    }
    const growth = plan.growth.get(slot.year) ?? 1;
    const partial = coveredHours < periodHours;
    const coveredFrom = grid.start + slot.first * HOUR_MS;
    const coveredTo = grid.start + slot.last * HOUR_MS;
    // Fully covered: exactly the quarter's energy; partly covered: its growth-profile share of it.
    const target = partial
      ? (energy.gwh * 1000 * profileSum(coveredFrom, coveredTo, slot.year, growth)) /
        profileSum(slot.start, slot.end, slot.year, growth)
      : energy.gwh * 1000;
    let shapeSum = 0;
    for (let h = slot.first; h < slot.last; h++) {
      shape[h]! *= profileWeight(grid.start + h * HOUR_MS, slot.year, growth);
      shapeSum += shape[h]!;
    }
    for (let h = slot.first; h < slot.last; h++) load[h] = (target * shape[h]!) / shapeSum;
    if (energy.basis === 'estimated') energyEstimated.fill(1, slot.first, slot.last);
    if (energy.method !== 'published_quarter' && energy.method !== 'quarter_extrapolated') {
      energyFromAnnual.fill(1, slot.first, slot.last);
    }
    if (partial) periodPartial.fill(1, slot.first, slot.last);
    Object.assign(usage, {
      basis: energy.basis,
      method: energy.method,
      gwh: energy.gwh,
      targetMwh: target,
      inputs: energy.inputs,
    });
  }
  return { load, energyEstimated, energyFromAnnual, energyUnknown, periodPartial, shapePartial, periods };
}

/**
 * When a year's CSO data-centre figures are assumed known: the annual release "Data Centres
 * Metered Electricity Consumption <year>" came out on 23 July 2024 (2023), 10 June 2025 (2024) and
 * 7 July 2026 (2025) (cso/SOURCES.md); we assume 1 August 00:00 UTC of the next year, no earlier
 * than any observed release. A year's first quarter is thus known some 16 months after it ends,
 * its last some 7 months.
 */
export function csoReleaseTime(year: number): number {
  return Date.UTC(year + 1, 7, 1);
}

/** Trailing window (hours, the current one included) of the causal proxy's demand and share means. */
export const CAUSAL_MEAN_HOURS = 28 * 24;
const YEAR_MS = 365.25 * 24 * HOUR_MS;

export interface CausalProxyInputs {
  grid: HourGrid;
  demand: Float64Array;
  renewableShare: Float64Array;
  priceZ: Float64Array;
  figures: readonly CsoFigure[];
}

interface Trend {
  /** Mean MW of the latest quarter known, at that quarter's midpoint (UTC ms). */
  power: number;
  at: number;
  /** Growth per year of that quarter's year. */
  growth: number;
}

/** The latest quarter's power and growth from the figures of years up to `lastYear`; null with none. */
function trendKnownAt(figures: readonly CsoFigure[], lastYear: number): Trend | null {
  const known = figures.filter((f) => f.year <= lastYear);
  if (known.length === 0) return null;
  const plan = planCsoEnergy(known);
  const last = [...plan.quarters].sort((a, b) => a.start - b.start).at(-1);
  if (last === undefined) return null;
  return {
    power: (last.gwh * 1000 * HOUR_MS) / (last.end - last.start),
    at: (last.start + last.end) / 2,
    growth: plan.growth.get(last.year) ?? 1,
  };
}

/** Trailing mean of the finite values in the window ending at (and including) each hour. */
function trailingMean(values: Float64Array, window: number): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  let count = 0;
  for (let h = 0; h < values.length; h++) {
    const add = values[h]!;
    if (!Number.isNaN(add)) {
      sum += add;
      count++;
    }
    if (h >= window) {
      const drop = values[h - window]!;
      if (!Number.isNaN(drop)) {
        sum -= drop;
        count--;
      }
    }
    out[h] = count > 0 ? sum / count : Number.NaN;
  }
  return out;
}

/**
 * The causal data-centre load estimate (dc_load_mw): the value of hour h uses only what was known
 * when h ended. Its level is the latest CSO quarter published before h (csoReleaseTime), carried
 * forward along that year's growth rate; its shape is the response of dataCentreProxy with every
 * quarter mean replaced by a trailing 28-day mean. It does not conserve any quarter's energy (the
 * analysis column dc_load_analysis_mw does, with hindsight); it is what a forecaster at any origin
 * could have computed, so forecasts and backtests on it see nothing from after their origin.
 */
export function causalDataCentreLoad(inputs: CausalProxyInputs): Float64Array {
  const { grid, demand, renewableShare, priceZ, figures } = inputs;
  const meanDemand = trailingMean(demand, CAUSAL_MEAN_HOURS);
  const meanShare = trailingMean(renewableShare, CAUSAL_MEAN_HOURS);
  const x = new Float64Array(grid.hours);
  for (let h = 0; h < grid.hours; h++) {
    const d = demand[h]!;
    const z = priceZ[h]!;
    const share = renewableShare[h]!;
    let value = 0;
    if (!Number.isNaN(d) && meanDemand[h]! > 0) value += DC_SHAPE.demandGain * (d / meanDemand[h]! - 1);
    if (!Number.isNaN(z)) value -= DC_SHAPE.priceGain * clamp(z, DC_SHAPE.priceZLimit);
    if (!Number.isNaN(share) && !Number.isNaN(meanShare[h]!))
      value += DC_SHAPE.renewGain * (share - meanShare[h]!);
    x[h] = value;
  }
  const shape = smoothedShape(x);
  const trends = new Map<number, Trend | null>();
  const load = new Float64Array(grid.hours).fill(Number.NaN);
  for (let h = 0; h < grid.hours; h++) {
    const t = grid.start + h * HOUR_MS;
    const year = new Date(t).getUTCFullYear();
    const lastYear = t >= csoReleaseTime(year - 1) ? year - 1 : year - 2;
    if (!trends.has(lastYear)) trends.set(lastYear, trendKnownAt(figures, lastYear));
    const trend = trends.get(lastYear);
    if (!trend) continue;
    const power = trend.power * Math.pow(trend.growth, (t + HOUR_MS / 2 - trend.at) / YEAR_MS);
    load[h] = power * shape[h]!;
  }
  return load;
}
