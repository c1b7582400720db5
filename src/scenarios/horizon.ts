/**
 * Scenarios on the forecast horizon: the hours of a study after the last observed hour get their
 * inputs from the latest forecasts the champions issued (P50), and where no champion forecasts an
 * input (SNSP and the interconnector flows never; wind, solar or dc_load_mw when the pipeline keeps
 * no champion for them), from the seasonal-naive profile of the input's last observed week, the
 * value snaive168 would forecast. The filled frame then goes through the same replay as history
 * (evaluate.ts: computeGridFeatures, computeStress), and every hour of every input is labelled with
 * where its value came from. docs/SCENARIOS.md ("On the forecast horizon").
 */
import { FORECAST_TARGETS } from '../config/config.js';
import { HOUR_MS } from '../lib/time.js';
import { SCENARIO_COLUMNS, type ScenarioColumn, type ScenarioFrame } from './evaluate.js';

export type InputSource = 'observed' | 'forecast' | 'seasonal-naive' | 'missing';

/** The fallback's season: the value of the same hour one week earlier, as snaive168 forecasts. */
export const FALLBACK_SEASON_H = 168;
/**
 * Without forecasts, the horizon reaches this far past the last observed hour: the seasonal-naive
 * profile says nothing new after a week, and champions forecast 168 h (FORECAST_HORIZON_H) ahead.
 */
export const FALLBACK_HORIZON_H = 168;

/** Inputs a champion may forecast: the scenario columns that are also forecast targets. */
export const FORECASTABLE_COLUMNS = SCENARIO_COLUMNS.filter((c) =>
  (FORECAST_TARGETS as readonly string[]).includes(c),
);

export type Quantile = 'p10' | 'p50' | 'p90';

/**
 * The "tight" path: each forecast input at its stress-raising quantile (more demand, less wind and
 * solar, dearer and dirtier energy). A pessimistic bound on the horizon, not a joint quantile:
 * the inputs' errors are not all at their worst in the same hour.
 */
export const TIGHT_QUANTILES: Partial<Record<ScenarioColumn, Quantile>> = {
  demand_mw: 'p90',
  wind_mw: 'p10',
  solar_mw: 'p10',
  price_eur_mwh: 'p90',
  co2_intensity: 'p90',
  dc_load_mw: 'p90',
};

/** A champion's latest forecast of one input, hour by hour. */
export interface InputForecast {
  model: string;
  version: number;
  /** The forecast's origin, UTC ms. */
  origin: number;
  ts: number[];
  p10: Array<number | null>;
  p50: Array<number | null>;
  p90: Array<number | null>;
}

/** A run of consecutive hours of one input that came from the same place. */
export interface SourceSpan {
  from: string;
  to: string;
  hours: number;
  source: InputSource;
  model?: string;
  version?: number;
  origin?: string;
}

export type InputSources = Record<ScenarioColumn, SourceSpan[]>;

interface Label {
  source: InputSource;
  forecast?: InputForecast;
}

export interface FilledFrame {
  frame: ScenarioFrame;
  /** Per input, per hour of the frame: where the value came from. */
  labels: Record<ScenarioColumn, Label[]>;
}

/** The frame padded with missing hours up to `to` (exclusive). */
export function padFrame(frame: ScenarioFrame, from: number, to: number): ScenarioFrame {
  const first = frame.ts.length > 0 ? Math.min(frame.ts[0]!, from) : from;
  const n = Math.max(0, Math.round((to - first) / HOUR_MS));
  if (frame.ts.length === n && frame.ts[0] === first) return frame;
  const ts = new Float64Array(n);
  for (let h = 0; h < n; h++) ts[h] = first + h * HOUR_MS;
  const offset = frame.ts.length > 0 ? Math.round((frame.ts[0]! - first) / HOUR_MS) : 0;
  const columns = {} as ScenarioFrame['columns'];
  for (const column of SCENARIO_COLUMNS) {
    const out = new Float64Array(n).fill(Number.NaN);
    const values = frame.columns[column];
    for (let h = 0; h < values.length && offset + h < n; h++) out[offset + h] = values[h]!;
    columns[column] = out;
  }
  return { ts, columns };
}

/**
 * Fills the hours at and after `observedTo` (the hour after the last observed demand) that have no
 * stored value: the champion's P50 where its latest forecast covers the hour, else the value of the
 * same hour k weeks earlier, k the fewest weeks that reach back to the input's last observed hour
 * (snaive168). An input whose last observation is in the week before `observedTo` is filled from
 * the hour after it (a series published later than demand); one silent for longer stays missing.
 * The fallback reads only observed values. Stored values are kept (a published day-ahead price
 * after the last demand hour counts as observed). With `observedTo` infinite (a study of history)
 * nothing is filled and the labels say observed or missing. A new frame; the input is untouched.
 */
export function fillHorizon(
  frame: ScenarioFrame,
  observedTo: number,
  forecasts: Partial<Record<ScenarioColumn, InputForecast>>,
  /** Which quantile of each input's forecast to use (default P50; a missing P10/P90 falls back to it). */
  quantiles: Partial<Record<ScenarioColumn, Quantile>> = {},
): FilledFrame {
  const n = frame.ts.length;
  const first = frame.ts[0] ?? observedTo;
  const start = Math.min(n, Math.max(0, Math.round((observedTo - first) / HOUR_MS)));
  const columns = {} as ScenarioFrame['columns'];
  const labels = {} as FilledFrame['labels'];
  for (const column of SCENARIO_COLUMNS) {
    const values = Float64Array.from(frame.columns[column]);
    const label: Label[] = Array.from(values, (v) => ({
      source: Number.isNaN(v) ? ('missing' as const) : ('observed' as const),
    }));
    // An input that lags the others (its last hours not yet published) joins the horizon early.
    let last = start - 1;
    while (last >= 0 && Number.isNaN(frame.columns[column][last]!)) last--;
    const recent = Number.isFinite(observedTo) && last >= 0 && start - last <= FALLBACK_SEASON_H;
    const from = recent ? last + 1 : start;
    const forecast = forecasts[column];
    if (forecast) {
      forecast.ts.forEach((t, i) => {
        const h = Math.round((t - first) / HOUR_MS);
        const p50 = forecast.p50[i];
        if (h < from || h >= n || !Number.isNaN(values[h]!) || p50 === null || p50 === undefined) return;
        values[h] = forecast[quantiles[column] ?? 'p50'][i] ?? p50;
        label[h] = { source: 'forecast', forecast };
      });
    }
    if (recent) {
      for (let h = from; h < n; h++) {
        if (!Number.isNaN(values[h]!)) continue;
        const back = h - Math.ceil((h - last) / FALLBACK_SEASON_H) * FALLBACK_SEASON_H;
        if (back < 0) continue;
        const value = frame.columns[column][back]!;
        if (Number.isNaN(value)) continue;
        values[h] = value;
        label[h] = { source: 'seasonal-naive' };
      }
    }
    columns[column] = values;
    labels[column] = label;
  }
  return { frame: { ts: frame.ts, columns }, labels };
}

/** The labels of the hours [from, to) as runs of the same source (and the same forecast). */
export function sourceSpans(
  ts: Float64Array,
  labels: FilledFrame['labels'],
  from: number,
  to: number,
): InputSources {
  const out = {} as InputSources;
  for (const column of SCENARIO_COLUMNS) {
    const spans: Array<SourceSpan & { forecastRef?: InputForecast }> = [];
    labels[column].forEach((label, h) => {
      const t = ts[h]!;
      if (t < from || t >= to) return;
      const last = spans.at(-1);
      if (
        last !== undefined &&
        Date.parse(last.to) === t &&
        last.source === label.source &&
        last.forecastRef === label.forecast
      ) {
        last.to = new Date(t + HOUR_MS).toISOString();
        last.hours++;
        return;
      }
      spans.push({
        from: new Date(t).toISOString(),
        to: new Date(t + HOUR_MS).toISOString(),
        hours: 1,
        source: label.source,
        ...(label.forecast
          ? {
              model: label.forecast.model,
              version: label.forecast.version,
              origin: new Date(label.forecast.origin).toISOString(),
              forecastRef: label.forecast,
            }
          : {}),
      });
    });
    out[column] = spans.map(({ forecastRef: _ignored, ...span }) => span);
  }
  return out;
}

/**
 * How the baseline recomputed on the filled inputs compares with the stress_score champion's own
 * forecast over the same hours: the two are separate estimates (one forecasts the score, the other
 * recomputes it from forecast inputs), so the gap is reported, not forced to zero.
 */
export interface StressForecastCheck {
  model: string;
  version: number;
  origin: string;
  hours: number;
  meanAbsDiff: number | null;
  /** Share of those hours where the recomputed baseline lies within the forecast's P10-P90. */
  withinP10P90: number | null;
}

export function compareStressForecast(
  ts: Float64Array,
  baselineStress: Float64Array,
  forecast: InputForecast,
): StressForecastCheck {
  const first = ts[0] ?? 0;
  let hours = 0;
  let absSum = 0;
  let banded = 0;
  let within = 0;
  forecast.ts.forEach((t, i) => {
    const h = Math.round((t - first) / HOUR_MS);
    const p50 = forecast.p50[i];
    if (h < 0 || h >= ts.length || p50 === null || p50 === undefined) return;
    const s = baselineStress[h]!;
    if (Number.isNaN(s)) return;
    hours++;
    absSum += Math.abs(s - p50);
    const lo = forecast.p10[i];
    const hi = forecast.p90[i];
    if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
      banded++;
      if (s >= lo && s <= hi) within++;
    }
  });
  return {
    model: forecast.model,
    version: forecast.version,
    origin: new Date(forecast.origin).toISOString(),
    hours,
    meanAbsDiff: hours > 0 ? absSum / hours : null,
    withinP10P90: banded > 0 ? within / banded : null,
  };
}
