/**
 * Grid-stress score in z units: a weighted sum of five components, each a z-score over the 7-day
 * look-back window (SNSP: its distance to the 75 % limit, scaled so that the limit reads 2),
 * divided by the root of the sum of the squared weights of the components available that hour.
 * Formula, weights, bands and why this normalisation: docs/FEATURES.md ("stress_score").
 */
import type { Config } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { StressBand } from './columns.js';
import { rollingZ, type WindowSpec } from './rolling.js';

export const STRESS_COMPONENTS = ['ramp', 'renew_var', 'price_spike', 'net_load', 'snsp'] as const;
export type StressComponent = (typeof STRESS_COMPONENTS)[number];
export type StressWeights = Config['STRESS_WEIGHTS'];
export type StressComponents = Record<StressComponent, Float64Array>;

/** SNSP operational limit (fraction); the SNSP term is 2 (the alert threshold) there. */
export const SNSP_LIMIT = 0.75;
/** SNSP at which the SNSP term is 0. */
export const SNSP_NEUTRAL = 0.5;
/** The SNSP term is clamped to this range so a bad reading cannot dominate the score. */
export const SNSP_TERM_RANGE = [-2, 4] as const;

/** Lower bounds of the bands above 'normal': elevated from 1, high from 2 (the alert threshold), critical from 3. */
export const STRESS_BAND_FLOORS = { elevated: 1, high: 2, critical: 3 } as const;

/** (snsp - 0.5) / 0.125, clamped to [-2, 4]: 0 at 50 %, 1 at 62.5 %, 2 at the 75 % limit. */
export function snspTerm(snsp: number): number {
  if (Number.isNaN(snsp)) return Number.NaN;
  const scale = (SNSP_LIMIT - SNSP_NEUTRAL) / 2;
  const term = (snsp - SNSP_NEUTRAL) / scale;
  return Math.min(SNSP_TERM_RANGE[1], Math.max(SNSP_TERM_RANGE[0], term));
}

export interface StressInputs {
  /** ramp_rate_mw_h (its absolute value is scored: both directions need flexible plant). */
  ramp: Float64Array;
  renewVar24h: Float64Array;
  /** z of the price over the look-back window (the same z that sets price_spike_flag). */
  priceZ: Float64Array;
  netLoad: Float64Array;
  snsp: Float64Array;
}

export function stressComponents(inputs: StressInputs, window: WindowSpec): StressComponents {
  const absRamp = inputs.ramp.map(Math.abs);
  return {
    ramp: rollingZ(absRamp, window),
    renew_var: rollingZ(inputs.renewVar24h, window),
    price_spike: inputs.priceZ,
    net_load: rollingZ(inputs.netLoad, window),
    snsp: inputs.snsp.map(snspTerm),
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
  const hours = components.ramp.length;
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

export function stressBand(score: number): StressBand | null {
  if (Number.isNaN(score)) return null;
  if (score >= STRESS_BAND_FLOORS.critical) return 'critical';
  if (score >= STRESS_BAND_FLOORS.high) return 'high';
  if (score >= STRESS_BAND_FLOORS.elevated) return 'elevated';
  return 'normal';
}
