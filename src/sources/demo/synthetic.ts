/**
 * Synthetic Irish grid data for the offline demo: deterministic (seeded), physically plausible
 * shapes (daily/weekly/annual demand cycles, holidays, weather-driven wind, daylight solar,
 * price and CO2 that follow the residual load), at the real sources' resolutions. These are NOT
 * measurements: everything built from them is labelled as demo data.
 */
import { irishCalendar } from '../../features/calendar.js';
import { QUARTER_HOUR_MS } from '../../lib/time.js';

export interface SyntheticGrid {
  /** Quarter-hour starts, UTC ms. */
  ts: Float64Array;
  demandIe: Float64Array;
  demandNi: Float64Array;
  windIe: Float64Array;
  windNi: Float64Array;
  solarIe: Float64Array;
  solarNi: Float64Array;
  ewic: Float64Array;
  co2Ie: Float64Array;
  /** All-island SNSP as a fraction. */
  snsp: Float64Array;
  /** Hourly SEM day-ahead price (EUR/MWh), one per hour starting at hourTs. */
  hourTs: Float64Array;
  price: Float64Array;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

const DAILY_SHAPE = [
  0.82, 0.78, 0.76, 0.75, 0.75, 0.78, 0.86, 0.96, 1.03, 1.06, 1.07, 1.07, 1.06, 1.05, 1.04, 1.04, 1.07, 1.14,
  1.17, 1.13, 1.07, 1.0, 0.93, 0.87,
];

function interpolateDaily(hourFloat: number): number {
  const h0 = Math.floor(hourFloat) % 24;
  const frac = hourFloat - Math.floor(hourFloat);
  return DAILY_SHAPE[h0]! * (1 - frac) + DAILY_SHAPE[(h0 + 1) % 24]! * frac;
}

export function generateSyntheticGrid(from: number, to: number, seed = 20240101): SyntheticGrid {
  const n = Math.floor((to - from) / QUARTER_HOUR_MS);
  const random = seededRandom(seed);
  const normal = gaussian(random);
  const out = {
    ts: new Float64Array(n),
    demandIe: new Float64Array(n),
    demandNi: new Float64Array(n),
    windIe: new Float64Array(n),
    windNi: new Float64Array(n),
    solarIe: new Float64Array(n),
    solarNi: new Float64Array(n),
    ewic: new Float64Array(n),
    co2Ie: new Float64Array(n),
    snsp: new Float64Array(n),
  };
  let weather = 0; // AR(1) wind regime, hours-scale persistence
  let cloud = 0.5;
  let demandNoise = 0;
  const growthPerYear = 0.025;
  for (let i = 0; i < n; i++) {
    const t = from + i * QUARTER_HOUR_MS;
    const cal = irishCalendar(t);
    const minuteOfHour = new Date(t).getUTCMinutes();
    const localHour = cal.hour + minuteOfHour / 60;
    const yearFrac = cal.dayOfYear / 365.25;
    const years = (t - Date.UTC(2022, 0, 1)) / (365.25 * 86_400_000);
    const annual = 1 + 0.13 * Math.cos(2 * Math.PI * (yearFrac - 0.03));
    const weekly = cal.dow === 5 ? 0.94 : cal.dow === 6 ? 0.9 : 1;
    const holiday = cal.holiday ? 0.9 : 1;
    demandNoise = 0.97 * demandNoise + 0.03 * normal() * 1.5;
    const base = 4400 * (1 + growthPerYear * years);
    const demandIe =
      base * annual * weekly * holiday * interpolateDaily(localHour) * (1 + 0.02 * demandNoise);
    weather = 0.995 * weather + 0.1 * normal();
    const windCf = 1 / (1 + Math.exp(-(weather + 0.3 * Math.cos(2 * Math.PI * yearFrac) - 0.4)));
    const windIe = Math.max(-20, 4700 * windCf * (0.95 + 0.05 * random()) - 15);
    const windNi = Math.max(-5, 1350 * windCf * (0.9 + 0.1 * random()));
    cloud = Math.min(1, Math.max(0, 0.98 * cloud + 0.02 * random() + 0.01 * normal()));
    const daylight = Math.max(
      0,
      Math.sin(Math.PI * ((localHour - 6 + 2 * Math.cos(2 * Math.PI * (yearFrac - 0.47))) / 13)),
    );
    const solarCapacity = 400 + 900 * Math.max(0, years);
    const solarIe =
      solarCapacity *
      daylight ** 1.5 *
      (0.3 + 0.7 * (1 - cloud)) *
      (0.6 + 0.4 * Math.sin(Math.PI * yearFrac));
    const demandNi = 0.245 * demandIe * (1 + 0.01 * normal());
    const residual = demandIe - windIe - solarIe;
    const ewic = Math.max(-500, Math.min(500, (residual - 2600) * 0.25 + 40 * normal()));
    const renewableAll = windIe + windNi + solarIe + 0.3 * solarIe;
    const snsp = Math.min(0.75, Math.max(0.02, renewableAll / (demandIe + demandNi + Math.max(0, -ewic))));
    const co2 = Math.max(40, 420 - 380 * snsp + 15 * normal());
    out.ts[i] = t;
    out.demandIe[i] = Math.round(demandIe * 10) / 10;
    out.demandNi[i] = Math.round(demandNi * 10) / 10;
    out.windIe[i] = Math.round(windIe * 10) / 10;
    out.windNi[i] = Math.round(windNi * 10) / 10;
    out.solarIe[i] = Math.round(solarIe * 10) / 10;
    out.solarNi[i] = Math.round(0.3 * solarIe * 10) / 10;
    out.ewic[i] = Math.round(ewic * 10) / 10;
    out.co2Ie[i] = Math.round(co2);
    out.snsp[i] = Math.round(snsp * 10_000) / 10_000;
  }
  // Prices draw from their own stream, so a longer period leaves the earlier prices unchanged.
  const priceNormal = gaussian(seededRandom(seed + 1));
  const hours = Math.floor(n / 4);
  const hourTs = new Float64Array(hours);
  const price = new Float64Array(hours);
  let gas = 0;
  for (let h = 0; h < hours; h++) {
    let residual = 0;
    for (let q = 0; q < 4; q++)
      residual += out.demandIe[4 * h + q]! - out.windIe[4 * h + q]! - out.solarIe[4 * h + q]!;
    residual /= 4;
    gas = 0.999 * gas + 0.02 * priceNormal();
    const scarcity = Math.max(0, residual - 3800) * 0.12;
    const p = 95 + 22 * gas + 0.045 * (residual - 2500) + scarcity + 8 * priceNormal();
    hourTs[h] = out.ts[4 * h]!;
    price[h] = Math.round((residual < 600 ? Math.min(p, -5 - 10 * Math.abs(priceNormal())) : p) * 100) / 100;
  }
  return { ...out, hourTs, price };
}
