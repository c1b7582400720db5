/**
 * Grid-stress score: how close the system is to the margin problems behind an operator's System
 * Alert, on a scale whose level means the same across seasons and years. Five components, each on
 * a common scale (0 = a typical hour, 2 = alert-level on its own), read only past hours, so the
 * score can be forecast and backtested honestly. Pure functions over an hourly frame: the feature
 * build, `dcgrid features rebuild-stress` and scenarios all call computeStress.
 * Formula, weights, limits, bands and their measured meaning: docs/FEATURES.md ("stress_score").
 */
import type { Config } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { StressBand } from './columns.js';
import {
  normalQuantile,
  referenceQuantiles,
  referenceRank,
  type ReferenceWindow,
} from './reference-window.js';

export const STRESS_COMPONENTS = ['net_load', 'renewables', 'price', 'interconnector', 'snsp'] as const;
export type StressComponent = (typeof STRESS_COMPONENTS)[number];
export type StressWeights = Config['STRESS_WEIGHTS'];
export type StressComponents = Record<StressComponent, Float64Array>;

/** The feature column holding each component (docs/FEATURES.md). */
export const STRESS_COMPONENT_COLUMNS = {
  net_load: 'stress_net_load',
  renewables: 'stress_renewables',
  price: 'stress_price',
  interconnector: 'stress_interconnector',
  snsp: 'stress_snsp',
} as const satisfies Record<StressComponent, string>;
export type StressComponentColumn = (typeof STRESS_COMPONENT_COLUMNS)[StressComponent];

const YEAR_H = 8760;
const MONTH_H = 720;

/**
 * What the system supplies at this time of year, from the past only: the same season a year ago
 * (+-30 days around t - 365 d) and the last 30 days. It follows the seasons (maintenance is done
 * in summer, so summer capacity is lower) and moves slowly with growth and new plant.
 */
export const SEASONAL_REFERENCE: ReferenceWindow = {
  lags: [
    [1, MONTH_H],
    [YEAR_H - MONTH_H, YEAR_H + MONTH_H],
  ],
  // More than the last 30 days alone can give: a year-ago season must be there.
  minCount: 1200,
};

/** The fuel-driven price level: the median of the last 30 days (at least 20 days of prices). */
export const PRICE_LEVEL_WINDOW: ReferenceWindow = { lags: [[1, MONTH_H]], minCount: 480 };

/**
 * Price / the 30-day median at which the price term reads 2: in the SEM the median hour is priced
 * by gas-fired CCGTs; when margins are short, open-cycle and distillate peakers (about 2-3 times
 * the CCGT's fuel cost per MWh) and scarcity pricing set the price.
 */
export const SCARCITY_PRICE_RATIO = 2.5;

/** SNSP operational limits (fraction) from the month each took effect; docs/FEATURES.md cites the source. */
export const SNSP_LIMITS: ReadonlyArray<{ from: number; limit: number }> = [
  { from: Number.NEGATIVE_INFINITY, limit: 0.5 },
  { from: Date.UTC(2015, 9, 1), limit: 0.55 },
  { from: Date.UTC(2016, 10, 1), limit: 0.6 },
  { from: Date.UTC(2017, 10, 1), limit: 0.65 },
  { from: Date.UTC(2021, 0, 1), limit: 0.7 },
  { from: Date.UTC(2021, 3, 1), limit: 0.75 },
];
/** SNSP this far below the limit in force scores 0; at the limit it scores 2. */
export const SNSP_SPAN = 0.25;

/** Nominal import ratings (MW) of the interconnectors, by feature column. */
export const INTERCONNECTOR_RATINGS_MW = {
  ic_ewic_mw: 500,
  ic_moyle_mw: 500,
  ic_greenlink_mw: 500,
} as const;

/** Each component is clamped to this range, so one bad reading cannot dominate the score. */
export const COMPONENT_RANGE = [-4, 4] as const;

/**
 * Lower bounds of the bands above 'normal', around the alert threshold T (STRESS_ALERT_THRESHOLD):
 * elevated from T - 1, high (the alert band) from T, critical from T + 1. The one definition of the
 * bands: the stored `stress_band`, the API and the dashboard all use it. docs/FEATURES.md gives the
 * share of hours and days per year in each band on the real data.
 */
export function stressBandFloors(threshold: number): Record<Exclude<StressBand, 'normal'>, number> {
  if (!Number.isFinite(threshold)) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `STRESS_ALERT_THRESHOLD must be finite (got ${threshold})`,
    );
  }
  return { elevated: threshold - 1, high: threshold, critical: threshold + 1 };
}

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));

/** The SNSP limit in force at a UTC instant (the trial limit: the system is run at it). */
export function snspLimitAt(ts: number): number {
  let limit = SNSP_LIMITS[0]!.limit;
  for (const step of SNSP_LIMITS) if (ts >= step.from) limit = step.limit;
  return limit;
}

/**
 * 2 at the limit in force, 0 at SNSP_SPAN or more below it, up to 4 above it. One-sided: a low
 * SNSP (little wind) is no spare margin, so it never lowers the score.
 */
export function snspTerm(snsp: number, ts: number): number {
  if (Number.isNaN(snsp)) return Number.NaN;
  return clamp(2 + (2 * (snsp - snspLimitAt(ts))) / SNSP_SPAN, [0, 4]);
}

/** 2 ln(price / level) / ln(2.5): 0 at the level, 2 at 2.5 times it; a price <= 0 reads -2. */
export function priceTerm(price: number, level: number): number {
  if (Number.isNaN(price) || !(level > 0)) return Number.NaN;
  if (price <= 0) return -2;
  return clamp((2 * Math.log(price / level)) / Math.log(SCARCITY_PRICE_RATIO), COMPONENT_RANGE);
}

/**
 * An interconnector whose flow stays within this many MW of zero for OUTAGE_HOURS consecutive hours
 * is out of service (maintenance or a trip): a link in service is traded every hour.
 */
export const OUTAGE_FLOW_MW = 5;
/**
 * Hours of near-zero flow that mark an outage. In the EWIC series 2022-2024 a link in service sat
 * near zero for at most 19 hours in a row (idle overnight schedules); the known outages (spring 2022
 * maintenance, the trip of 9 Aug 2022, Apr 2023) ran 40 hours and more. The check reads only the
 * hour itself and earlier ones, so the first day of an outage is not seen.
 */
export const OUTAGE_HOURS = 24;

/**
 * Import headroom lost, as a share of the ratings: 2 x (imports + rating out of service) / rating.
 * 2 importing at the rating or with every link out (nothing more to call on from Great Britain), 0 at
 * no flow, -2 exporting at it (the island generates more than it uses).
 */
export function interconnectorTerm(importsMw: number, ratingMw: number, unavailableMw = 0): number {
  if (Number.isNaN(importsMw) || !(ratingMw > 0)) return Number.NaN;
  return clamp((2 * (importsMw + unavailableMw)) / ratingMw, [-2, 2]);
}

/**
 * The net load the system has shown it can serve at this time of year: a high percentile (P99,
 * robust to a bad reading) of the hourly net load in the seasonal reference. Dispatchable plant
 * and imports served every one of those hours, so this is a floor on what is available.
 */
export const SERVED_QUANTILE = 0.99;
/**
 * Share of the served level per score unit: the largest single infeed (EWIC or a large CCGT,
 * about 500 MW) is about a tenth of the Irish peak, and the operating reserve is sized to cover
 * it; 10 % below the served level (score 0) leaves a margin of that size.
 */
export const NET_LOAD_STEP = 0.05;

/**
 * 2 + (x / served level - 1) / NET_LOAD_STEP: 2 at the highest net load of the season, 0 at 10 % below it.
 * The served level comes from `served` (default: the same series); a scenario passes the net load the
 * system actually served, since added demand does not add plant.
 */
export function netLoadTerms(netLoad: Float64Array, servedFrom: Float64Array = netLoad): Float64Array {
  const [served] = referenceQuantiles(servedFrom, SEASONAL_REFERENCE, [SERVED_QUANTILE]);
  return netLoad.map((x, t) => {
    const level = served![t]!;
    return level > 0 ? clamp(2 + (x / level - 1) / NET_LOAD_STEP, COMPONENT_RANGE) : Number.NaN;
  });
}

/** Low wind and solar: minus the normal quantile of the hour's mid-rank among the seasonal reference hours. */
export function renewablesTerms(renew: Float64Array): Float64Array {
  return referenceRank(renew, SEASONAL_REFERENCE).map((p) => clamp(-normalQuantile(p), COMPONENT_RANGE));
}

export interface InterconnectorColumns {
  ic_ewic_mw: Float64Array;
  ic_moyle_mw: Float64Array;
  ic_greenlink_mw: Float64Array;
}

/**
 * Net imports (MW) over the interconnectors with a value that hour, their summed import rating, and
 * the rating of those among them that are out of service (flow near zero for OUTAGE_HOURS hours).
 */
export function interconnectorFlows(columns: InterconnectorColumns): {
  imports: Float64Array;
  rating: Float64Array;
  unavailable: Float64Array;
} {
  const hours = columns.ic_ewic_mw.length;
  const imports = new Float64Array(hours).fill(Number.NaN);
  const rating = new Float64Array(hours);
  const unavailable = new Float64Array(hours);
  for (const column of Object.keys(INTERCONNECTOR_RATINGS_MW) as Array<keyof InterconnectorColumns>) {
    const values = columns[column];
    const linkRating = INTERCONNECTOR_RATINGS_MW[column];
    let idle = 0;
    for (let h = 0; h < hours; h++) {
      const v = values[h]!;
      idle = Math.abs(v) <= OUTAGE_FLOW_MW ? idle + 1 : 0;
      if (Number.isNaN(v)) continue;
      imports[h] = (Number.isNaN(imports[h]!) ? 0 : imports[h]!) + v;
      rating[h]! += linkRating;
      if (idle >= OUTAGE_HOURS) unavailable[h]! += linkRating;
    }
  }
  return { imports, rating, unavailable };
}

/** An hourly frame: one value per consecutive UTC hour from `start` (NaN = missing). */
export interface StressInputs extends InterconnectorColumns {
  /** Start of the first hour, UTC ms. */
  start: number;
  net_load_mw: Float64Array;
  /** The net load whose seasonal P99 is the served level (default net_load_mw); scenarios pass the observed one. */
  served_net_load_mw?: Float64Array;
  renew_mw: Float64Array;
  price_eur_mwh: Float64Array;
  snsp: Float64Array;
}

function checkInputs(inputs: StressInputs): number {
  const hours = inputs.net_load_mw.length;
  const columns = [
    'renew_mw',
    'price_eur_mwh',
    'snsp',
    'ic_ewic_mw',
    'ic_moyle_mw',
    'ic_greenlink_mw',
  ] as const;
  const bad =
    columns.find((c) => inputs[c].length !== hours) ??
    (inputs.served_net_load_mw && inputs.served_net_load_mw.length !== hours
      ? 'served_net_load_mw'
      : undefined);
  if (bad || !Number.isFinite(inputs.start) || inputs.start % HOUR_MS !== 0) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      bad
        ? `stress inputs: ${bad} has ${inputs[bad]!.length} hours, net_load_mw has ${hours}`
        : `stress inputs: start ${inputs.start} is not the start of a UTC hour`,
    );
  }
  return hours;
}

export function stressComponents(inputs: StressInputs): StressComponents {
  const hours = checkInputs(inputs);
  const [level] = referenceQuantiles(inputs.price_eur_mwh, PRICE_LEVEL_WINDOW, [0.5]);
  const { imports, rating, unavailable } = interconnectorFlows(inputs);
  const price = new Float64Array(hours);
  const interconnector = new Float64Array(hours);
  const snsp = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    price[h] = priceTerm(inputs.price_eur_mwh[h]!, level![h]!);
    interconnector[h] = interconnectorTerm(imports[h]!, rating[h]!, unavailable[h]!);
    snsp[h] = snspTerm(inputs.snsp[h]!, inputs.start + h * HOUR_MS);
  }
  return {
    net_load: netLoadTerms(inputs.net_load_mw, inputs.served_net_load_mw),
    renewables: renewablesTerms(inputs.renew_mw),
    price,
    interconnector,
    snsp,
  };
}

export function checkStressWeights(weights: StressWeights): void {
  const bad = STRESS_COMPONENTS.filter((c) => !Number.isFinite(weights[c]) || weights[c] < 0);
  if (bad.length > 0 || STRESS_COMPONENTS.every((c) => weights[c] === 0)) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `STRESS_WEIGHTS must be finite, non-negative and not all zero (got ${JSON.stringify(weights)})`,
    );
  }
}

export interface StressScore {
  /** NaN where no weighted component is available. */
  score: Float64Array;
  /** 1 where some weighted components were missing (the score uses the others). */
  partial: Uint8Array;
}

/**
 * score = sum(w_i c_i) / sqrt(sum(w_i^2)) over the components available that hour (w_i > 0): for
 * independent unit-variance components the score has unit variance whichever components are
 * present, so one alert threshold means the same with five components or one.
 */
export function combineStress(components: StressComponents, weights: StressWeights): StressScore {
  checkStressWeights(weights);
  const used = STRESS_COMPONENTS.filter((c) => weights[c] > 0);
  const hours = components.net_load.length;
  const score = new Float64Array(hours);
  const partial = new Uint8Array(hours);
  for (let h = 0; h < hours; h++) {
    let sum = 0;
    let squares = 0;
    let missing = 0;
    for (const c of used) {
      const value = components[c][h]!;
      if (Number.isNaN(value)) {
        missing++;
      } else {
        sum += weights[c] * value;
        squares += weights[c] * weights[c];
      }
    }
    score[h] = squares > 0 ? sum / Math.sqrt(squares) : Number.NaN;
    partial[h] = squares > 0 && missing > 0 ? 1 : 0;
  }
  return { score, partial };
}

export interface StressResult extends StressScore {
  components: StressComponents;
}

/** The components and the score of every hour of a frame. */
export function computeStress(inputs: StressInputs, weights: StressWeights): StressResult {
  checkStressWeights(weights);
  const components = stressComponents(inputs);
  return { components, ...combineStress(components, weights) };
}

/** The band of a score for the alert threshold T (see stressBandFloors); null for a missing score. */
export function stressBand(score: number, threshold: number): StressBand | null {
  const floors = stressBandFloors(threshold);
  if (Number.isNaN(score)) return null;
  if (score >= floors.critical) return 'critical';
  if (score >= floors.high) return 'high';
  if (score >= floors.elevated) return 'elevated';
  return 'normal';
}
