/**
 * A synthetic hourly load series for tests and benchmarks of the xgb model: a slow trend, a daily
 * profile in Irish local time, a weekend dip, lower load on public holidays and AR(1) noise.
 */
import { irishCalendar } from '../../features/calendar.js';
import { HOUR_MS } from '../../lib/time.js';
import type { HourlyFrame } from '../types.js';
import { seededRandom } from './samples.js';

export interface SyntheticOptions {
  hours: number;
  /** UTC epoch ms of the first hour. */
  start?: number;
  seed?: number;
  /** Standard deviation of the noise innovations, MW. */
  noise?: number;
}

export function syntheticLoadFrame(options: SyntheticOptions): HourlyFrame {
  const start = options.start ?? Date.UTC(2022, 0, 1);
  const random = seededRandom(options.seed ?? 1);
  const gaussian = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const sigma = options.noise ?? 25;
  const ts = new Float64Array(options.hours);
  const load = new Float64Array(options.hours);
  const temperature = new Float64Array(options.hours);
  let ar = 0;
  for (let i = 0; i < options.hours; i++) {
    ts[i] = start + i * HOUR_MS;
    const cal = irishCalendar(ts[i]!);
    const daily =
      120 * Math.sin((2 * Math.PI * (cal.hour - 11)) / 24) + 60 * Math.sin((4 * Math.PI * cal.hour) / 24);
    const weekend = cal.dow >= 5 ? -90 : 0;
    const holiday = cal.holiday ? -70 : 0;
    const annual = 80 * Math.cos((2 * Math.PI * cal.dayOfYear) / 365);
    ar = 0.8 * ar + sigma * gaussian();
    load[i] = 1000 + (i / 8760) * 60 + daily + weekend + holiday + annual + ar;
    temperature[i] = 10 - 6 * Math.cos((2 * Math.PI * cal.dayOfYear) / 365) + 3 * gaussian();
  }
  return { ts, columns: { load, temperature } };
}
