/**
 * Stress-event labels: yes/no hours defined from the data, the targets of the stress-event
 * classifier (src/models/event). Like the stress score they read only past hours for their
 * references, so a label is the same whatever came after it, and they use the same references:
 *
 *   event_tight        net load at or above its seasonal top percentile (SEASONAL_REFERENCE, past only)
 *   event_snsp         SNSP within a margin of the operational limit in force (snspLimitAt)
 *   event_price_spike  price at or above a multiple of its trailing 30-day median (PRICE_LEVEL_WINDOW)
 *   stress_event       any of the three
 *
 * Each is 1, 0 or NaN (unknown: an input or its reference is missing). stress_event is 1 when any
 * label is 1, 0 when all three are 0, and unknown otherwise. Definitions and measured rates:
 * docs/FEATURES.md ("Stress events").
 */
import type { Config } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { referenceQuantiles } from './reference-window.js';
import { PRICE_LEVEL_WINDOW, SEASONAL_REFERENCE, snspLimitAt } from './stress.js';

export interface StressEventSettings {
  /** event_tight: net load at or above this quantile of its seasonal reference. */
  netLoadQuantile: number;
  /** event_snsp: SNSP at or above (limit in force - margin), as a fraction. */
  snspMargin: number;
  /** event_price_spike: price at or above this multiple of the trailing 30-day median. */
  priceRatio: number;
}

/** The defaults of STRESS_EVENT_NET_LOAD_QUANTILE, STRESS_EVENT_SNSP_MARGIN and STRESS_EVENT_PRICE_RATIO. */
export const DEFAULT_STRESS_EVENTS: StressEventSettings = {
  netLoadQuantile: 0.99,
  snspMargin: 0.05,
  priceRatio: 2,
};

/** The label settings of a configuration. */
export function stressEventSettings(
  config: Pick<
    Config,
    'STRESS_EVENT_NET_LOAD_QUANTILE' | 'STRESS_EVENT_SNSP_MARGIN' | 'STRESS_EVENT_PRICE_RATIO'
  >,
): StressEventSettings {
  return {
    netLoadQuantile: config.STRESS_EVENT_NET_LOAD_QUANTILE,
    snspMargin: config.STRESS_EVENT_SNSP_MARGIN,
    priceRatio: config.STRESS_EVENT_PRICE_RATIO,
  };
}

export const STRESS_EVENT_LABELS = ['tight', 'snsp', 'price_spike'] as const;
export type StressEventLabel = (typeof STRESS_EVENT_LABELS)[number];

/** The feature column of each label, and of their union (docs/FEATURES.md). */
export const STRESS_EVENT_COLUMNS = {
  tight: 'event_tight',
  snsp: 'event_snsp',
  price_spike: 'event_price_spike',
} as const satisfies Record<StressEventLabel, string>;
export const STRESS_EVENT_COLUMN = 'stress_event';
export const STRESS_EVENT_ALL_COLUMNS = [
  ...STRESS_EVENT_LABELS.map((l) => STRESS_EVENT_COLUMNS[l]),
  STRESS_EVENT_COLUMN,
] as const;
export type StressEventColumn = (typeof STRESS_EVENT_ALL_COLUMNS)[number];

export function checkStressEventSettings(settings: StressEventSettings): void {
  const { netLoadQuantile: q, snspMargin: m, priceRatio: r } = settings;
  const bad: string[] = [];
  if (!(q > 0 && q < 1)) bad.push(`STRESS_EVENT_NET_LOAD_QUANTILE must be in (0, 1) (got ${q})`);
  if (!(m >= 0 && m < 1)) bad.push(`STRESS_EVENT_SNSP_MARGIN must be in [0, 1) (got ${m})`);
  if (!(r > 1 && Number.isFinite(r))) bad.push(`STRESS_EVENT_PRICE_RATIO must be above 1 (got ${r})`);
  if (bad.length > 0) throw new DcgridError(ErrorCodes.CONFIG_INVALID, bad.join('; '));
}

/** An hourly frame: one value per consecutive UTC hour from `start` (NaN = missing). */
export interface StressEventInputs {
  /** Start of the first hour, UTC ms. */
  start: number;
  net_load_mw: Float64Array;
  price_eur_mwh: Float64Array;
  snsp: Float64Array;
}

export type StressEvents = Record<StressEventLabel | 'event', Float64Array>;

const indicator = (x: number, level: number): number =>
  Number.isNaN(x) || Number.isNaN(level) ? Number.NaN : x >= level ? 1 : 0;

/** The three labels and their union for every hour of a frame. */
export function computeStressEvents(inputs: StressEventInputs, settings: StressEventSettings): StressEvents {
  checkStressEventSettings(settings);
  const hours = inputs.net_load_mw.length;
  const bad = (['price_eur_mwh', 'snsp'] as const).find((c) => inputs[c].length !== hours);
  if (bad !== undefined || !Number.isFinite(inputs.start) || inputs.start % HOUR_MS !== 0) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      bad !== undefined
        ? `stress-event inputs: ${bad} has ${inputs[bad].length} hours, net_load_mw has ${hours}`
        : `stress-event inputs: start ${inputs.start} is not the start of a UTC hour`,
    );
  }
  const [tightLevel] = referenceQuantiles(inputs.net_load_mw, SEASONAL_REFERENCE, [settings.netLoadQuantile]);
  const [priceLevel] = referenceQuantiles(inputs.price_eur_mwh, PRICE_LEVEL_WINDOW, [0.5]);
  const tight = new Float64Array(hours);
  const snsp = new Float64Array(hours);
  const price = new Float64Array(hours);
  const event = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    tight[h] = indicator(inputs.net_load_mw[h]!, tightLevel![h]!);
    snsp[h] = indicator(inputs.snsp[h]!, snspLimitAt(inputs.start + h * HOUR_MS) - settings.snspMargin);
    const level = priceLevel![h]!;
    // A median at or below zero has no meaningful multiple: no spike can be read from it.
    price[h] = level > 0 ? indicator(inputs.price_eur_mwh[h]!, settings.priceRatio * level) : Number.NaN;
    const labels = [tight[h]!, snsp[h]!, price[h]!];
    event[h] = labels.includes(1) ? 1 : labels.every((x) => x === 0) ? 0 : Number.NaN;
  }
  return { tight, snsp, price_spike: price, event };
}
