import { describe, expect, it } from 'vitest';
import { irishCalendar } from '../../features/calendar.js';
import { HOUR_MS } from '../../lib/time.js';
import type { HourlyFrame } from '../types.js';
import { FeatureBuilder, featureNames, type FeatureSpec } from './features.js';
import { syntheticLoadFrame } from './synthetic-series.js';

const spec: FeatureSpec = { target: 'load', pastColumns: ['temperature'], scale: 50, yearLag: true };
const frame = syntheticLoadFrame({ hours: 24 * 60, seed: 3, start: Date.UTC(2023, 2, 1) });
const H = 168;

function row(builder: FeatureBuilder, origin: number, h: number): Record<string, number> {
  const out = new Float32Array(builder.width);
  builder.fill(out, 0, origin, h);
  return Object.fromEntries(builder.names.map((name, j) => [name, out[j]!]));
}

/** The frame with every value at or after `origin` replaced by NaN. */
function withoutFuture(source: HourlyFrame, origin: number): HourlyFrame {
  const columns = Object.fromEntries(
    Object.entries(source.columns).map(([name, values]) => [
      name,
      values.map((v, i) => (i < origin ? v : Number.NaN)),
    ]),
  );
  return { ts: source.ts, columns };
}

function truncated(source: HourlyFrame, end: number): HourlyFrame {
  const columns = Object.fromEntries(
    Object.entries(source.columns).map(([name, v]) => [name, v.slice(0, end)]),
  );
  return { ts: source.ts.slice(0, end), columns };
}

describe('xgb features', () => {
  it('names target, calendar and past-column features', () => {
    expect(featureNames(spec)).toEqual(
      expect.arrayContaining(['horizon', 'hour', 'dow', 'holiday', 'dst', 'lag24h']),
    );
    expect(featureNames(spec).slice(-2)).toEqual(['temperature_last', 'temperature_mean24h']);
  });

  it('does not read anything at or after the origin (NaN-ing the future changes no feature)', () => {
    const full = new FeatureBuilder(frame, spec);
    for (const origin of [400, 777, 1000, 24 * 60 - H]) {
      const blind = new FeatureBuilder(withoutFuture(frame, origin), spec);
      const origins = new Int32Array(H).fill(origin);
      const horizons = Int32Array.from({ length: H }, (_, i) => i + 1);
      expect(blind.matrix(origins, horizons)).toEqual(full.matrix(origins, horizons));
    }
  });

  it('builds forecast rows from a history that ends at the origin exactly like training rows', () => {
    const origin = 900;
    const history = new FeatureBuilder(truncated(frame, origin), spec, H);
    const training = new FeatureBuilder(frame, spec);
    const origins = new Int32Array(H).fill(origin);
    const horizons = Int32Array.from({ length: H }, (_, i) => i + 1);
    expect(history.matrix(origins, horizons)).toEqual(training.matrix(origins, horizons));
  });

  it('uses lags only when they lie before the origin and calendar fields of the target hour', () => {
    const builder = new FeatureBuilder(frame, spec);
    const y = frame.columns.load!;
    const origin = 1000;
    const level = builder.level(origin);
    const mean = y.slice(origin - 168, origin).reduce((a, b) => a + b, 0) / 168;
    expect(level).toBeCloseTo(mean, 9);
    const rel = (v: number): number => Math.fround((v - level) / spec.scale);

    const h1 = row(builder, origin, 1);
    expect(h1.horizon).toBe(1);
    expect(h1.last).toBe(rel(y[origin - 1]!));
    expect(h1.lag24h).toBe(rel(y[origin - 24]!));
    expect(h1.lag48h).toBe(rel(y[origin - 48]!));
    expect(h1.sameHourLastDay).toBe(rel(y[origin - 24]!));
    expect(h1.sameHourLastWeek).toBe(rel(y[origin - 168]!));
    expect(h1.sameHourTwoWeeksAgo).toBe(rel(y[origin - 336]!));

    const h30 = row(builder, origin, 30);
    const target = origin + 29;
    expect(h30.lag24h).toBeNaN(); // t - 24 = origin + 5 is not known at the origin
    expect(h30.lag48h).toBe(rel(y[target - 48]!));
    expect(h30.sameHourLastDay).toBe(rel(y[target - 48]!));
    const cal = irishCalendar(frame.ts[0]! + target * HOUR_MS);
    expect([h30.hour, h30.dow, h30.month, h30.holiday, h30.dst]).toEqual([
      cal.hour,
      cal.dow,
      cal.month,
      cal.holiday ? 1 : 0,
      cal.dst ? 1 : 0,
    ]);
    expect(h30.temperature_last).toBe(Math.fround(frame.columns.temperature![origin - 1]!));
  });

  it('leaves features missing (NaN) when the history is too short or has gaps', () => {
    const gappy = withoutFuture(frame, 1_000_000);
    gappy.columns.load!.fill(Number.NaN, 500, 524);
    const builder = new FeatureBuilder(gappy, spec);
    expect(row(builder, 524, 1).last).toBeNaN();
    expect(row(builder, 524, 1).mean24h).toBeNaN();
    expect(row(builder, 524, 1).level).not.toBeNaN();
    expect(row(builder, 200, 1).sameHourTwoWeeksAgo).toBeNaN();
    expect(builder.level(0)).toBeNaN();
  });
});
