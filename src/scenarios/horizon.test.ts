import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../lib/time.js';
import { SCENARIO_COLUMNS, type ScenarioFrame } from './evaluate.js';
import { compareStressForecast, fillHorizon, padFrame, sourceSpans, type InputForecast } from './horizon.js';

const T0 = Date.UTC(2024, 0, 1);
const WEEK = 168;

/** Three observed weeks (value = hour index, so a filled value shows where it was read from). */
function frame(hours = 3 * WEEK): ScenarioFrame {
  const ts = Float64Array.from({ length: hours }, (_, h) => T0 + h * HOUR_MS);
  const columns = Object.fromEntries(
    SCENARIO_COLUMNS.map((c) => [c, Float64Array.from({ length: hours }, (_, h) => h)]),
  ) as ScenarioFrame['columns'];
  return { ts, columns };
}

describe('forecast-horizon inputs', () => {
  const observed = frame();
  const observedTo = T0 + 3 * WEEK * HOUR_MS;
  const padded = padFrame(observed, T0, observedTo + 2 * WEEK * HOUR_MS);
  const demand: InputForecast = {
    model: 'snaive168',
    version: 2,
    origin: observedTo,
    ts: Array.from({ length: 24 }, (_, h) => observedTo + h * HOUR_MS),
    p10: Array.from({ length: 24 }, () => 900),
    p50: Array.from({ length: 24 }, (_, h) => 1000 + h),
    p90: Array.from({ length: 24 }, () => 1100),
  };

  it('pads the frame with missing hours and keeps the stored ones', () => {
    expect(padded.ts.length).toBe(5 * WEEK);
    expect(padded.columns.demand_mw[3 * WEEK - 1]).toBe(3 * WEEK - 1);
    expect(Number.isNaN(padded.columns.demand_mw[3 * WEEK]!)).toBe(true);
  });

  it('uses the forecast where it covers an hour, the seasonal-naive value of the last observed week beyond', () => {
    const { frame: filled, labels } = fillHorizon(padded, observedTo, { demand_mw: demand });
    const first = 3 * WEEK;
    expect(filled.columns.demand_mw[first]).toBe(1000);
    expect(labels.demand_mw[first]!.source).toBe('forecast');
    // After the forecast's 24 h: the same hour one (or, in the second week, two) weeks back.
    expect(filled.columns.demand_mw[first + 30]).toBe(first + 30 - WEEK);
    expect(labels.demand_mw[first + 30]!.source).toBe('seasonal-naive');
    expect(filled.columns.wind_mw[first + WEEK + 5]).toBe(first + WEEK + 5 - 2 * WEEK);
    expect(labels.snsp[first]!.source).toBe('seasonal-naive');
    expect(labels.snsp[first - 1]!.source).toBe('observed');
    // The input frame is untouched.
    expect(Number.isNaN(padded.columns.demand_mw[first]!)).toBe(true);
  });

  it('takes the quantile asked for, P50 where the forecast has none', () => {
    const partial = { ...demand, p90: demand.p90.map((v, i) => (i === 0 ? null : v)) };
    const { frame: filled } = fillHorizon(padded, observedTo, { demand_mw: partial }, { demand_mw: 'p90' });
    expect(filled.columns.demand_mw[3 * WEEK]).toBe(1000);
    expect(filled.columns.demand_mw[3 * WEEK + 1]).toBe(1100);
  });

  it('never fills from values that were not observed, nor from an input silent for over a week', () => {
    const gappy = padFrame(observed, T0, observedTo + WEEK * HOUR_MS);
    gappy.columns.wind_mw[3 * WEEK - 1 - WEEK + 1] = Number.NaN; // the hour a week before the first horizon hour
    gappy.columns.ic_greenlink_mw.fill(Number.NaN, 0, 3 * WEEK - WEEK - 2);
    gappy.columns.ic_greenlink_mw.fill(Number.NaN, 3 * WEEK - WEEK - 2);
    const { frame: filled, labels } = fillHorizon(gappy, observedTo, {});
    expect(Number.isNaN(filled.columns.wind_mw[3 * WEEK]!)).toBe(true);
    expect(labels.wind_mw[3 * WEEK]!.source).toBe('missing');
    expect(labels.wind_mw[3 * WEEK + 1]!.source).toBe('seasonal-naive');
    expect(labels.ic_greenlink_mw.slice(3 * WEEK).every((l) => l.source === 'missing')).toBe(true);
  });

  it('fills an input that lags the others from the hour after its own last observation', () => {
    const lagging = padFrame(observed, T0, observedTo + WEEK * HOUR_MS);
    lagging.columns.co2_intensity.fill(Number.NaN, 3 * WEEK - 9, 3 * WEEK);
    const { frame: filled, labels } = fillHorizon(lagging, observedTo, {});
    const h = 3 * WEEK - 9;
    expect(labels.co2_intensity[h - 1]!.source).toBe('observed');
    expect(labels.co2_intensity[h]!.source).toBe('seasonal-naive');
    expect(filled.columns.co2_intensity[h]).toBe(h - WEEK);
    // A study of history fills nothing: the gap stays a gap.
    const history = fillHorizon(lagging, Number.POSITIVE_INFINITY, {});
    expect(history.labels.co2_intensity[h]!.source).toBe('missing');
    expect(history.labels.co2_intensity.at(-1)!.source).toBe('missing');
  });

  it('labels the period as runs of one source, naming the forecast', () => {
    const { frame: filled, labels } = fillHorizon(padded, observedTo, { demand_mw: demand });
    const spans = sourceSpans(filled.ts, labels, observedTo - 10 * HOUR_MS, observedTo + 48 * HOUR_MS);
    expect(spans.demand_mw.map((s) => [s.source, s.hours, s.model ?? null])).toEqual([
      ['observed', 10, null],
      ['forecast', 24, 'snaive168'],
      ['seasonal-naive', 24, null],
    ]);
    expect(spans.demand_mw[1]).toMatchObject({
      from: new Date(observedTo).toISOString(),
      to: new Date(observedTo + 24 * HOUR_MS).toISOString(),
      version: 2,
      origin: new Date(observedTo).toISOString(),
    });
    expect(spans.price_eur_mwh.map((s) => s.source)).toEqual(['observed', 'seasonal-naive']);
  });

  it('compares a recomputed series with a stored forecast: gap and share inside P10-P90', () => {
    const ts = Float64Array.from(demand.ts);
    const values = Float64Array.from(demand.p50, (v, i) => (i < 12 ? v! : 2000));
    const check = compareStressForecast(ts, values, demand);
    expect(check.hours).toBe(24);
    const expected = demand.p50.slice(12).reduce<number>((sum, v) => sum + (2000 - v!), 0) / 24;
    expect(check.meanAbsDiff).toBeCloseTo(expected, 9);
    expect(check.withinP10P90).toBeCloseTo(12 / 24, 9);
  });
});
