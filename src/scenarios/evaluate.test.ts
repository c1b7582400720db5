import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { HOUR_MS } from '../lib/time.js';
import { parseStudy } from './definition.js';
import { evaluateStudy, REFERENCE_HOURS, SCENARIO_COLUMNS, type ScenarioFrame } from './evaluate.js';

const settings = { weights: loadConfig({}, { dotenv: false }).STRESS_WEIGHTS, alertThreshold: 2 };
const FROM = Date.UTC(2023, 0, 1);
const TO = Date.UTC(2023, 3, 1);

/** A deterministic grid: daily and yearly demand cycles, gusty wind, a price that follows net load. */
function syntheticFrame(): ScenarioFrame {
  const start = FROM - REFERENCE_HOURS * HOUR_MS;
  const n = (TO - start) / HOUR_MS;
  const ts = Float64Array.from({ length: n }, (_, i) => start + i * HOUR_MS);
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const columns = Object.fromEntries(
    SCENARIO_COLUMNS.map((c) => [c, new Float64Array(n)]),
  ) as ScenarioFrame['columns'];
  let wind = 1500;
  for (let h = 0; h < n; h++) {
    const hour = new Date(ts[h]!).getUTCHours();
    const day = h / 24;
    const demand =
      4500 + 700 * Math.cos((2 * Math.PI * day) / 365) + 600 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
    wind = Math.min(4000, Math.max(0, wind + (random() - 0.5) * 400));
    const solar = Math.max(0, 300 * Math.sin((Math.PI * (hour - 6)) / 12));
    columns.demand_mw[h] = demand;
    columns.wind_mw[h] = wind;
    columns.solar_mw[h] = solar;
    columns.price_eur_mwh[h] = 40 + (demand - wind - solar) / 40;
    columns.co2_intensity[h] = 150 + (demand - wind) / 20;
    columns.snsp[h] = Math.min(0.75, (wind + solar) / demand);
    columns.ic_ewic_mw[h] = 200 * Math.sin(h / 50);
    columns.ic_moyle_mw[h] = Number.NaN;
    columns.ic_greenlink_mw[h] = Number.NaN;
    columns.dc_load_mw[h] = 900;
  }
  return { ts, columns };
}

const study = parseStudy({
  name: 'synthetic',
  region: 'IE',
  from: '2023-01-01',
  to: '2023-04-01',
  scenarios: [
    { name: 'flat', addMw: 500 },
    { name: 'flex', addMw: 500, profile: { kind: 'flexible', share: 0.2, maxShiftH: 12 } },
    { name: 'big', addMw: 1500 },
  ],
});

describe('scenario replay', () => {
  const frame = syntheticFrame();
  const outcome = evaluateStudy(frame, study, settings);
  const [flat, flex, big] = outcome.scenarios.map((s) => s.summary);
  const base = outcome.baseline.summary;
  const periodHours = (TO - FROM) / HOUR_MS;

  it('replays the study period only, with the year before as the reference', () => {
    expect(outcome.ts.length).toBe(periodHours);
    expect(outcome.ts[0]).toBe(FROM);
    expect(base.hours).toBe(periodHours);
    expect(base.addedEnergyMwh).toBe(0);
  });

  it('adds the energy it says and prices it at the observed price', () => {
    expect(flat!.addedEnergyMwh).toBeCloseTo(500 * periodHours, 6);
    const lo = (FROM - frame.ts[0]!) / HOUR_MS;
    let cost = 0;
    for (let h = lo; h < lo + periodHours; h++) cost += 500 * frame.columns.price_eur_mwh[h]!;
    expect(flat!.costEur).toBeCloseTo(cost, 3);
    expect(flat!.pricedShare).toBe(1);
    expect(flat!.peakNetLoadMw).toBeCloseTo(base.peakNetLoadMw! + 500, 6);
    expect(flat!.meanDcShare!).toBeGreaterThan(base.meanDcShare!);
    expect(flat!.meanRenewableShare!).toBeLessThan(base.meanRenewableShare!);
  });

  it('raises stress with the added load, more for more load', () => {
    expect(flat!.stressP99!).toBeGreaterThan(base.stressP99!);
    expect(big!.stressP99!).toBeGreaterThan(flat!.stressP99!);
    expect(flat!.hoursAboveThreshold).toBeGreaterThanOrEqual(base.hoursAboveThreshold);
    expect(big!.hoursAboveThreshold).toBeGreaterThan(flat!.hoursAboveThreshold);
    const bands = (s: typeof base) =>
      s.bandHours.normal + s.bandHours.elevated + s.bandHours.high + s.bandHours.critical;
    expect(bands(flat!)).toBe(flat!.hours);
  });

  it('a flexible site moves load out of stressed hours, keeps its energy and says what that saved', () => {
    expect(flex!.profile).toBe('flexible');
    expect(flex!.addedEnergyMwh).toBeCloseTo(flat!.addedEnergyMwh, 6);
    expect(flex!.flex!.shiftedMwh).toBeGreaterThan(0);
    expect(flex!.flex!.fewerHoursAboveThreshold).toBe(flat!.hoursAboveThreshold - flex!.hoursAboveThreshold);
    expect(flex!.hoursAboveThreshold).toBeLessThanOrEqual(flat!.hoursAboveThreshold);
    expect(flex!.stressP99!).toBeLessThanOrEqual(flat!.stressP99! + 1e-9);
  });

  it('summarises each day for the chart', () => {
    expect(outcome.baseline.daily).toHaveLength(90);
    expect(outcome.scenarios[0]!.daily[0]!.day).toBe(FROM);
  });
});
