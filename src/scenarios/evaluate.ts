/**
 * Replays a study on an hourly frame of stored history: each scenario's added load goes through the
 * ingest's own feature code (computeGridFeatures, computeStress) and the result is summarised beside
 * the baseline. Pure: frame in, numbers out.
 *
 * What changes with added load: demand, net load, renewable share, dc_share, SNSP (the same
 * non-synchronous infeed over a larger demand) and the stress score; the served level behind the
 * net-load term stays the one the system showed (added demand adds no plant). Prices, wind, solar
 * and interconnector flows are the observed ones: the replay asks what the same weather and market
 * would have meant with the extra load, not how the market would have answered it.
 */
import type { Config } from '../config/config.js';
import type { StressBand } from '../features/columns.js';
import { computeGridFeatures } from '../features/grid-features.js';
import { computeStress, stressBand, type StressWeights } from '../features/stress.js';
import type { ScenarioDefinition, StudyDefinition } from './definition.js';
import { shiftLoad } from './flex.js';
import { addedLoad } from './profile.js';

/** Observed columns a replay reads (feature column names). */
export const SCENARIO_COLUMNS = [
  'demand_mw',
  'wind_mw',
  'solar_mw',
  'price_eur_mwh',
  'co2_intensity',
  'snsp',
  'ic_ewic_mw',
  'ic_moyle_mw',
  'ic_greenlink_mw',
  'dc_load_mw',
] as const;
export type ScenarioColumn = (typeof SCENARIO_COLUMNS)[number];

/** Hours of history before the study the stress score's seasonal reference needs (a year and a month). */
export const REFERENCE_HOURS = (365 + 31) * 24;

export interface ScenarioFrame {
  /** Consecutive hour starts, UTC ms. */
  ts: Float64Array;
  columns: Record<ScenarioColumn, Float64Array>;
}

export interface ReplaySettings {
  weights: StressWeights;
  alertThreshold: Config['STRESS_ALERT_THRESHOLD'];
}

export interface FlexOutcome {
  shiftedMwh: number;
  /** What the flexibility saved against the same load run flat (positive = better). */
  savedCostEur: number;
  savedCarbonT: number;
  fewerHoursAboveThreshold: number;
}

export interface ScenarioSummary {
  name: string;
  profile: 'baseline' | ScenarioDefinition['profile']['kind'];
  addMw: number;
  /** Hours of the period with a stress score. */
  hours: number;
  bandHours: Record<StressBand, number>;
  hoursAboveThreshold: number;
  peakNetLoadMw: number | null;
  stressP50: number | null;
  stressP90: number | null;
  stressP99: number | null;
  meanRenewableShare: number | null;
  meanDcShare: number | null;
  addedEnergyMwh: number;
  /** Cost of the added energy at the observed day-ahead price (hours with a price). */
  costEur: number;
  /** Share of the added energy that had a price (the rest is not in costEur). */
  pricedShare: number | null;
  avgPriceEurMwh: number | null;
  /** Emissions of the added energy at the observed CO2 intensity, tonnes. */
  carbonT: number;
  flex: FlexOutcome | null;
}

export interface DailyPoint {
  /** Day start, UTC ms. */
  day: number;
  maxStress: number | null;
  peakNetLoadMw: number | null;
}

export interface ScenarioOutcome {
  summary: ScenarioSummary;
  daily: DailyPoint[];
  /** Hourly values over the period, for charts and exports. */
  hourly: { added: Float64Array; netLoad: Float64Array; stress: Float64Array };
}

export interface StudyOutcome {
  alertThreshold: number;
  /** Hour starts of the period. */
  ts: Float64Array;
  baseline: ScenarioOutcome;
  scenarios: ScenarioOutcome[];
}

interface Replayed {
  netLoad: Float64Array;
  renewableShare: Float64Array;
  dcShare: Float64Array;
  stress: Float64Array;
}

function replay(
  frame: ScenarioFrame,
  added: Float64Array,
  servedNetLoad: Float64Array | undefined,
  weights: StressWeights,
): Replayed {
  const c = frame.columns;
  const n = frame.ts.length;
  const demand = new Float64Array(n);
  const snsp = new Float64Array(n);
  const dcShare = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    const d = c.demand_mw[h]!;
    const a = added[h]!;
    demand[h] = d + a;
    snsp[h] = d > 0 ? (c.snsp[h]! * d) / (d + a) : c.snsp[h]!;
    dcShare[h] = d + a > 0 ? (c.dc_load_mw[h]! + a) / (d + a) : Number.NaN;
  }
  const grid = computeGridFeatures({ demand, wind: c.wind_mw, solar: c.solar_mw, price: c.price_eur_mwh });
  const stress = computeStress(
    {
      start: frame.ts[0]!,
      net_load_mw: grid.netLoad,
      ...(servedNetLoad ? { served_net_load_mw: servedNetLoad } : {}),
      renew_mw: grid.renew,
      price_eur_mwh: c.price_eur_mwh,
      snsp,
      ic_ewic_mw: c.ic_ewic_mw,
      ic_moyle_mw: c.ic_moyle_mw,
      ic_greenlink_mw: c.ic_greenlink_mw,
    },
    weights,
  );
  return { netLoad: grid.netLoad, renewableShare: grid.renewableShare, dcShare, stress: stress.score };
}

/** Linear-interpolated quantile of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function mean(values: Float64Array): number | null {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count > 0 ? sum / count : null;
}

function maxOf(values: Float64Array): number | null {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  return max === Number.NEGATIVE_INFINITY ? null : max;
}

interface Exposure {
  energyMwh: number;
  costEur: number;
  pricedMwh: number;
  carbonT: number;
}

function exposure(added: Float64Array, price: Float64Array, co2: Float64Array): Exposure {
  const out: Exposure = { energyMwh: 0, costEur: 0, pricedMwh: 0, carbonT: 0 };
  for (let h = 0; h < added.length; h++) {
    const mwh = added[h]!;
    out.energyMwh += mwh;
    if (!Number.isNaN(price[h]!)) {
      out.costEur += mwh * price[h]!;
      out.pricedMwh += mwh;
    }
    // gCO2/kWh is kg/MWh.
    if (!Number.isNaN(co2[h]!)) out.carbonT += (mwh * co2[h]!) / 1000;
  }
  return out;
}

function countAbove(stress: Float64Array, threshold: number): number {
  let n = 0;
  for (const s of stress) if (s >= threshold) n++;
  return n;
}

function daily(ts: Float64Array, stress: Float64Array, netLoad: Float64Array): DailyPoint[] {
  const out: DailyPoint[] = [];
  const DAY = 86_400_000;
  let i = 0;
  while (i < ts.length) {
    const day = Math.floor(ts[i]! / DAY) * DAY;
    let j = i;
    while (j < ts.length && ts[j]! < day + DAY) j++;
    out.push({ day, maxStress: maxOf(stress.subarray(i, j)), peakNetLoadMw: maxOf(netLoad.subarray(i, j)) });
    i = j;
  }
  return out;
}

function summarise(
  name: string,
  profile: ScenarioSummary['profile'],
  addMw: number,
  period: Replayed,
  added: Float64Array,
  frame: ScenarioFrame,
  lo: number,
  hi: number,
  threshold: number,
): ScenarioSummary {
  const stress = period.stress;
  const scored = Float64Array.from(stress.filter((s) => !Number.isNaN(s))).sort();
  const bandHours: Record<StressBand, number> = { normal: 0, elevated: 0, high: 0, critical: 0 };
  for (const s of scored) bandHours[stressBand(s, threshold)!]++;
  const money = exposure(
    added,
    frame.columns.price_eur_mwh.subarray(lo, hi),
    frame.columns.co2_intensity.subarray(lo, hi),
  );
  return {
    name,
    profile,
    addMw,
    hours: scored.length,
    bandHours,
    hoursAboveThreshold: countAbove(stress, threshold),
    peakNetLoadMw: maxOf(period.netLoad),
    stressP50: quantileSorted(scored, 0.5),
    stressP90: quantileSorted(scored, 0.9),
    stressP99: quantileSorted(scored, 0.99),
    meanRenewableShare: mean(period.renewableShare),
    meanDcShare: mean(period.dcShare),
    addedEnergyMwh: money.energyMwh,
    costEur: money.costEur,
    pricedShare: money.energyMwh > 0 ? money.pricedMwh / money.energyMwh : null,
    avgPriceEurMwh: money.pricedMwh > 0 ? money.costEur / money.pricedMwh : null,
    carbonT: money.carbonT,
    flex: null,
  };
}

function periodOf(r: Replayed, lo: number, hi: number): Replayed {
  return {
    netLoad: r.netLoad.subarray(lo, hi),
    renewableShare: r.renewableShare.subarray(lo, hi),
    dcShare: r.dcShare.subarray(lo, hi),
    stress: r.stress.subarray(lo, hi),
  };
}

/** Index of the first hour at or after t (frame hours are consecutive). */
function indexOf(frame: ScenarioFrame, t: number): number {
  const first = frame.ts[0] ?? t;
  return Math.min(frame.ts.length, Math.max(0, Math.round((t - first) / 3_600_000)));
}

export function evaluateStudy(
  frame: ScenarioFrame,
  study: StudyDefinition,
  settings: ReplaySettings,
): StudyOutcome {
  const n = frame.ts.length;
  const lo = indexOf(frame, study.from);
  const hi = indexOf(frame, study.to);
  const zero = new Float64Array(n);
  const base = replay(frame, zero, undefined, settings.weights);
  const threshold = settings.alertThreshold;
  const outcome = (
    name: string,
    profile: ScenarioSummary['profile'],
    addMw: number,
    r: Replayed,
    added: Float64Array,
  ) => {
    const period = periodOf(r, lo, hi);
    const addedPeriod = added.subarray(lo, hi);
    return {
      summary: summarise(name, profile, addMw, period, addedPeriod, frame, lo, hi, threshold),
      daily: daily(frame.ts.subarray(lo, hi), period.stress, period.netLoad),
      hourly: { added: addedPeriod, netLoad: period.netLoad, stress: period.stress },
    };
  };

  const scenarios = study.scenarios.map((scenario) => {
    // Load only inside the study period: the history before it is the reference the system showed.
    const planned = addedLoad(scenario, frame.ts);
    planned.fill(0, 0, lo).fill(0, hi);
    if (scenario.profile.kind !== 'flexible') {
      return outcome(
        scenario.name,
        scenario.profile.kind,
        scenario.addMw,
        replay(frame, planned, base.netLoad, settings.weights),
        planned,
      );
    }
    const { share, maxShiftH, objective } = scenario.profile;
    const cost =
      objective === 'stress'
        ? base.stress
        : objective === 'price'
          ? frame.columns.price_eur_mwh
          : frame.columns.co2_intensity;
    const shifted = shiftLoad(frame.ts, planned, cost, { share, maxShiftH });
    const flexible = outcome(
      scenario.name,
      'flexible',
      scenario.addMw,
      replay(frame, shifted.load, base.netLoad, settings.weights),
      shifted.load,
    );
    const rigid = outcome(
      scenario.name,
      'flat',
      scenario.addMw,
      replay(frame, planned, base.netLoad, settings.weights),
      planned,
    );
    flexible.summary.flex = {
      shiftedMwh: shifted.shiftedMwh,
      savedCostEur: rigid.summary.costEur - flexible.summary.costEur,
      savedCarbonT: rigid.summary.carbonT - flexible.summary.carbonT,
      fewerHoursAboveThreshold: rigid.summary.hoursAboveThreshold - flexible.summary.hoursAboveThreshold,
    };
    return flexible;
  });
  return {
    alertThreshold: threshold,
    ts: frame.ts.subarray(lo, hi),
    baseline: outcome('baseline', 'baseline', 0, base, zero),
    scenarios,
  };
}
