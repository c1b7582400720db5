/**
 * The seed's grid features, computed on a region's hourly grid from its demand, wind, solar and
 * price columns (NaN = missing). Formulas: docs/FEATURES.md.
 */
import { lagDifference, rollingMean, rollingStd, rollingZ, type WindowSpec } from './rolling.js';

/** renew_var_24h: sample std of renew_mw over the last 24 h, at least 18 values. */
export const RENEW_VAR_WINDOW: WindowSpec = { window: 24, minCount: 18 };
/** 7-day look-back (neg_price_freq_7d, price z, stress z-scores): 168 h, at least 126 values. */
export const WEEK_WINDOW: WindowSpec = { window: 168, minCount: 126 };
/** price_spike_flag: price more than this many rolling standard deviations above the rolling mean. */
export const PRICE_SPIKE_Z = 2;

export interface GridInputs {
  demand: Float64Array;
  wind: Float64Array;
  /** null when no source reports solar for the region. */
  solar: Float64Array | null;
  price: Float64Array;
}

export interface GridFeatures {
  /** Solar with NaN before the first reading (unchanged after it). */
  solar: Float64Array;
  /** 1 before the region's first solar reading. */
  solarUnreported: Uint8Array;
  renew: Float64Array;
  renewableShare: Float64Array;
  netLoad: Float64Array;
  ramp: Float64Array;
  renewVar24h: Float64Array;
  /** 1 / 0 / NaN. */
  negPrice: Float64Array;
  negPriceFreq7d: Float64Array;
  /** z of the price over the 7-day look-back window. */
  priceZ: Float64Array;
  /** 1 / 0 / NaN. */
  priceSpike: Float64Array;
}

/** 1 for every hour before the first hour with a solar value (all hours when there is none). */
export function solarUnreportedMask(solar: Float64Array | null, hours: number): Uint8Array {
  const mask = new Uint8Array(hours).fill(1);
  if (!solar) return mask;
  let first = hours;
  for (let h = 0; h < hours; h++) {
    if (!Number.isNaN(solar[h]!)) {
      first = h;
      break;
    }
  }
  mask.fill(0, first);
  return mask;
}

function indicator(values: Float64Array, test: (x: number) => boolean): Float64Array {
  const out = new Float64Array(values.length);
  for (let h = 0; h < values.length; h++) {
    const x = values[h]!;
    out[h] = Number.isNaN(x) ? Number.NaN : test(x) ? 1 : 0;
  }
  return out;
}

export function computeGridFeatures({ demand, wind, solar, price }: GridInputs): GridFeatures {
  const hours = demand.length;
  const solarUnreported = solarUnreportedMask(solar, hours);
  const solarOut = new Float64Array(hours).fill(Number.NaN);
  const renew = new Float64Array(hours);
  const renewableShare = new Float64Array(hours);
  const netLoad = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    // Before solar reporting began, renewables are wind alone; after it, a missing solar hour is missing.
    const s = solarUnreported[h] ? 0 : solar![h]!;
    if (!solarUnreported[h]) solarOut[h] = s;
    const r = wind[h]! + s;
    const d = demand[h]!;
    renew[h] = r;
    renewableShare[h] = d > 0 ? r / d : Number.NaN;
    netLoad[h] = d - r;
  }
  const priceZ = rollingZ(price, WEEK_WINDOW);
  const negPrice = indicator(price, (p) => p < 0);
  return {
    solar: solarOut,
    solarUnreported,
    renew,
    renewableShare,
    netLoad,
    ramp: lagDifference(demand, 1),
    renewVar24h: rollingStd(renew, RENEW_VAR_WINDOW),
    negPrice,
    negPriceFreq7d: rollingMean(negPrice, WEEK_WINDOW),
    priceZ,
    priceSpike: indicator(priceZ, (z) => z > PRICE_SPIKE_Z),
  };
}
