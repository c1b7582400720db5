/**
 * Seeded synthetic hourly frames with daily and weekly seasonality, for the TFT's tests and
 * benchmark (no real data is committed). Loosely shaped like Irish data-centre load: a level with
 * a slow trend, a daytime bump, a weekend dip, lower load on public holidays, AR(1) noise, and
 * optional companion columns (demand-, wind- and temperature-like) that share some of the pattern.
 */
import { irishCalendar } from '../../features/calendar.js';
import { HOUR_MS } from '../../lib/time.js';
import type { HourlyFrame } from '../types.js';
import { Rng } from './random.js';

export interface SyntheticOptions {
  hours: number;
  /** UTC ms of the first hour (default 2023-01-01T00:00Z). */
  start?: number;
  seed?: number;
  /** Name of the target column (default dc_load_mw). */
  target?: string;
  /** Extra past-observed columns to add, from: demand_mw, wind_mw, temperature_c, price_eur_mwh, ... */
  extraColumns?: number;
  /** Fraction of target values set to NaN at random. */
  missingRate?: number;
  /** Standard deviation of the AR(1) noise innovations, in MW (default 8). */
  noise?: number;
}

const EXTRA_NAMES = [
  'demand_mw',
  'wind_mw',
  'temperature_c',
  'price_eur_mwh',
  'solar_mw',
  'co2_intensity',
  'net_load_mw',
  'interconnector_mw',
];

export function syntheticFrame(options: SyntheticOptions): HourlyFrame {
  const { hours } = options;
  const start = options.start ?? Date.UTC(2023, 0, 1);
  const rng = new Rng(options.seed ?? 7);
  const noiseScale = options.noise ?? 8;
  const ts = new Float64Array(hours);
  const target = new Float64Array(hours);
  const extras = EXTRA_NAMES.slice(0, options.extraColumns ?? 0).map((name) => ({
    name,
    values: new Float64Array(hours),
  }));
  let noise = 0;
  let weather = 0;
  for (let i = 0; i < hours; i++) {
    const t = start + i * HOUR_MS;
    ts[i] = t;
    const cal = irishCalendar(t);
    const daily =
      Math.sin((2 * Math.PI * (cal.hour - 8)) / 24) + 0.35 * Math.sin((4 * Math.PI * cal.hour) / 24);
    const weekend = cal.dow >= 5 ? -1 : 0;
    const holiday = cal.holiday ? -1 : 0;
    const annual = Math.cos((2 * Math.PI * cal.dayOfYear) / 365.25);
    noise = 0.8 * noise + noiseScale * gaussian(rng);
    weather = 0.97 * weather + 0.3 * gaussian(rng);
    target[i] = 700 + 0.004 * i + 40 * daily + 35 * weekend + 25 * holiday + 15 * annual + noise;
    for (const [k, extra] of extras.entries()) {
      const mix = (k + 1) / (extras.length + 1);
      extra.values[i] =
        3000 * mix + 400 * daily * (1 - mix) + 200 * weekend + 300 * weather * mix + 50 * gaussian(rng);
    }
  }
  const missingRate = options.missingRate ?? 0;
  if (missingRate > 0) for (let i = 0; i < hours; i++) if (rng.next() < missingRate) target[i] = Number.NaN;
  const columns: Record<string, Float64Array> = { [options.target ?? 'dc_load_mw']: target };
  for (const extra of extras) columns[extra.name] = extra.values;
  return { ts, columns };
}

/** Standard normal draw (Box-Muller). */
function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Rows [from, to) of a frame (views, no copy). */
export function sliceFrame(frame: HourlyFrame, from: number, to: number): HourlyFrame {
  return {
    ts: frame.ts.subarray(from, to),
    columns: Object.fromEntries(
      Object.entries(frame.columns).map(([name, values]) => [name, values.subarray(from, to)]),
    ),
  };
}
