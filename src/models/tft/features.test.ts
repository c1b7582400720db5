import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import type { HourlyFrame } from '../types.js';
import {
  buildBatch,
  checkHourlyGrid,
  columnStats,
  decoderVariables,
  encoderVariables,
  isFestive,
  lagRow,
  prepareSeries,
  type FeatureSettings,
} from './features.js';
import { inputWidth } from './vsn.js';

// Monday 1 July 2024, 11:00 UTC = 12:00 Irish summer time.
const START = Date.UTC(2024, 6, 1, 11);

function frameOf(target: number[], demand?: number[]): HourlyFrame {
  const ts = Float64Array.from(target, (_, i) => START + i * HOUR_MS);
  const columns: Record<string, Float64Array> = { load: Float64Array.from(target) };
  if (demand) columns.demand = Float64Array.from(demand);
  return { ts, columns };
}

function settingsFor(overrides: Partial<FeatureSettings> = {}): FeatureSettings {
  return {
    target: 'load',
    region: 'IE',
    pastColumns: [],
    encoderLength: 3,
    horizon: 2,
    normalisation: { target: { mean: 10, std: 2 }, past: {} },
    ...overrides,
  };
}

describe('TFT features', () => {
  it('columnStats uses finite values before `end` only, std 1 for a constant column', () => {
    expect(columnStats(Float64Array.from([1, 3, Number.NaN, 100]), 3)).toEqual({ mean: 2, std: 1 });
    expect(columnStats(Float64Array.from([5, 5, 5]), 3)).toEqual({ mean: 5, std: 1 });
    expect(columnStats(Float64Array.from([Number.NaN]), 1)).toEqual({ mean: 0, std: 1 });
  });

  it('normalises, forward-fills (leading gap → 0) and keeps NaN in the raw target', () => {
    const series = prepareSeries(frameOf([Number.NaN, 12, Number.NaN, Number.NaN, 8]), settingsFor());
    expect(Array.from(series.targetFilled)).toEqual([0, 1, 1, 1, -1]);
    expect(Number.isNaN(series.target[0]!)).toBe(true);
    expect(series.target[1]).toBe(1);
  });

  it('builds one-hot calendar rows, missing flags, static level/spread and masked targets', () => {
    const settings = settingsFor();
    const values = [10, Number.NaN, 14, 12, Number.NaN, 16, 18];
    const series = prepareSeries(frameOf(values), settings);
    const batch = buildBatch(series, settings, { origins: [4], withTargets: true });
    expect(batch.batch).toBe(1);
    const [target, missing, hour, dow, month, holiday, dst, timeIndex] = batch.encoder;
    // Encoder rows 1, 2, 3 (values NaN, 14, 12 → filled 0, 2, 1).
    expect(Array.from(target!)).toEqual([0, 2, 1]);
    expect(Array.from(missing!)).toEqual([1, 0, 0]);
    // Row 1 is 12:00 UTC = 13:00 IST on Monday 1 July (dow 0, month 6), summer time, no holiday.
    expect(hour!.length).toBe(3 * 24);
    expect(hour!.indexOf(1)).toBe(13);
    expect(dow!.indexOf(1)).toBe(0);
    expect(month!.indexOf(1)).toBe(6);
    expect(Array.from(holiday!)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(dst!)).toEqual([1, 1, 1]);
    expect(Array.from(timeIndex!)).toEqual([-1.5, -1, -0.5]);
    // Decoder rows 4, 5: target NaN then 16 → normalised 3.
    expect(Array.from(batch.targets!)).toEqual([0, 3]);
    expect(Array.from(batch.mask!)).toEqual([0, 1]);
    expect(Array.from(batch.decoder[5]!)).toEqual([0, 0.5]);
    // Static: region one-hot (IE first), level and spread of the observed encoder values 2 and 1.
    expect(Array.from(batch.static[0]!)).toEqual([1, 0, 0]);
    expect(batch.static[1]![0]).toBeCloseTo(1.5);
    expect(batch.static[2]![0]).toBeCloseTo(0.5);
    // Every encoder input has one row per encoder step and its variable's width.
    encoderVariables([]).forEach((spec, j) => expect(batch.encoder[j]!.length).toBe(3 * inputWidth(spec)));
  });

  it('masks targets before scoreFrom (validation windows that reach back into training hours)', () => {
    const settings = settingsFor();
    const series = prepareSeries(frameOf([10, 12, 14, 16, 18, 20]), settings);
    const batch = buildBatch(series, settings, { origins: [3], withTargets: true, scoreFrom: 4 });
    expect(Array.from(batch.mask!)).toEqual([0, 1]);
  });

  it.each([
    ['basic inputs', {}],
    [
      'seasonal lags, festive flag, window scaling',
      { seasonalLags: [2, 3], festive: true, targetScaling: 'window' },
    ],
  ] as const)('never reads rows at or after the origin for inputs (no leakage): %s', (_, extra) => {
    const settings = settingsFor({
      pastColumns: ['demand'],
      normalisation: { target: { mean: 10, std: 2 }, past: { demand: { mean: 0, std: 1 } } },
      horizon: 3,
      ...extra,
      seasonalLags: 'seasonalLags' in extra ? [...extra.seasonalLags] : undefined,
    });
    const base = [10, 11, 12, 13, 14, 15, 16, 17];
    const demand = [1, 2, 3, 4, 5, 6, 7, 8];
    const origin = 5;
    const clean = buildBatch(prepareSeries(frameOf(base, demand), settings), settings, {
      origins: [origin],
      withTargets: false,
    });
    const blanked = buildBatch(
      prepareSeries(
        frameOf(
          base.map((v, i) => (i >= origin ? Number.NaN : v)),
          demand.map((v, i) => (i >= origin ? 1e6 : v)),
        ),
        settings,
      ),
      settings,
      { origins: [origin], withTargets: false },
    );
    expect(blanked.static.map((a) => Array.from(a))).toEqual(clean.static.map((a) => Array.from(a)));
    expect(blanked.encoder.map((a) => Array.from(a))).toEqual(clean.encoder.map((a) => Array.from(a)));
    expect(blanked.decoder.map((a) => Array.from(a))).toEqual(clean.decoder.map((a) => Array.from(a)));
    expect(Array.from(blanked.offsets)).toEqual(Array.from(clean.offsets));
  });

  it('lag rows: one period back in the encoder, the latest same-phase hour before the origin in the decoder', () => {
    const origin = 100;
    expect(lagRow(95, origin, 24)).toBe(71);
    expect([100, 123, 124, 147, 148].map((row) => lagRow(row, origin, 24))).toEqual([76, 99, 76, 99, 76]);
    expect([100, 267, 268].map((row) => lagRow(row, origin, 168))).toEqual([-68, 99, -68]);
    for (let row = origin; row < origin + 400; row++) {
      for (const period of [1, 7, 24, 168]) {
        const source = lagRow(row, origin, period);
        expect(source).toBeLessThan(origin);
        expect(source).toBeGreaterThanOrEqual(origin - period);
        expect((row - source) % period).toBe(0);
      }
    }
  });

  it('flags 24 December to 1 January in Irish local time', () => {
    expect(isFestive(Date.UTC(2023, 11, 23, 23, 59))).toBe(false);
    expect(isFestive(Date.UTC(2023, 11, 24, 0))).toBe(true);
    expect(isFestive(Date.UTC(2024, 0, 1, 23))).toBe(true);
    expect(isFestive(Date.UTC(2024, 0, 2, 0))).toBe(false);
    expect(isFestive(Date.UTC(2024, 6, 24, 12))).toBe(false);
  });

  it('builds seasonal lags, their off-day flags and window-relative targets', () => {
    // Hourly from 22 Dec 2023 00:00 UTC (winter: local = UTC); period-3 lags, encoder 3, horizon 4.
    const start = Date.UTC(2023, 11, 22, 0);
    const values = Array.from({ length: 60 }, (_, i) => 10 + 2 * (i % 5));
    values[40] = Number.NaN;
    const frame: HourlyFrame = {
      ts: Float64Array.from(values, (_, i) => start + i * HOUR_MS),
      columns: { load: Float64Array.from(values) },
    };
    const settings = settingsFor({
      encoderLength: 3,
      horizon: 4,
      seasonalLags: [3],
      festive: true,
      targetScaling: 'window',
    });
    const series = prepareSeries(frame, settings);
    const origin = 42; // 23 Dec 18:00; decoder 18:00-21:00, encoder 15:00-17:00
    const batch = buildBatch(series, settings, { origins: [origin], withTargets: true });
    const z = (row: number) => series.targetFilled[row]!;
    // Encoder rows 39, 40 (missing, filled from 39), 41; level = mean of the observed 39 and 41.
    const level = (series.target[39]! + series.target[41]!) / 2;
    expect(batch.offsets[0]).toBeCloseTo(level, 6);
    expect(batch.static[1]![0]).toBeCloseTo(level, 6);
    const [target, missing] = batch.encoder;
    expect(Array.from(target!)).toEqual([z(39), z(39), z(41)].map((v) => Math.fround(v - level)));
    expect(Array.from(missing!)).toEqual([0, 1, 0]);
    const names = decoderVariables(settings).map((spec) => spec.name);
    expect(names).toEqual([
      'hour',
      'dow',
      'month',
      'holiday',
      'festive',
      'dst',
      'time_index',
      'lag_3h',
      'lag_3h_off',
    ]);
    const column = (name: string) => Array.from(batch.decoder[names.indexOf(name)]!);
    // Decoder rows 42..45 read rows 39, 40, 41, then 42 - 3·2 = 39 again.
    expect(column('lag_3h')).toEqual([z(39), z(40), z(41), z(39)].map((v) => Math.fround(v - level)));
    expect(column('festive')).toEqual([0, 0, 0, 0]);
    expect(column('lag_3h_off')).toEqual([0, 0, 0, 0]);
    // Targets relative to the level; the encoder's known lags read one period back (rows 36..38).
    expect(Array.from(batch.targets!)).toEqual([42, 43, 44, 45].map((row) => Math.fround(z(row) - level)));
    const encoderNames = encoderVariables([], settings).map((spec) => spec.name);
    expect(Array.from(batch.encoder[encoderNames.indexOf('lag_3h')]!)).toEqual(
      [36, 37, 38].map((row) => Math.fround(z(row) - level)),
    );
    // From 24 Dec 00:00 (row 48) the festive flag is on, and lags that read it are flagged off-day.
    const later = buildBatch(series, settings, { origins: [51], withTargets: false });
    expect(Array.from(later.decoder[names.indexOf('festive')]!)).toEqual([1, 1, 1, 1]);
    expect(Array.from(later.decoder[names.indexOf('lag_3h_off')]!)).toEqual([1, 1, 1, 1]);
    // Origin 50: lags read rows 47 (23 Dec 23:00), 48, 49, then 47 again.
    const before = buildBatch(series, settings, { origins: [50], withTargets: false });
    expect(Array.from(before.decoder[names.indexOf('lag_3h_off')]!)).toEqual([0, 1, 1, 0]);
  });

  it('takes the window level over levelHours before the origin when asked', () => {
    const settings = settingsFor({ encoderLength: 4, horizon: 1, targetScaling: 'window', levelHours: 2 });
    const series = prepareSeries(frameOf([10, 12, 14, 18, 20]), settings);
    const batch = buildBatch(series, settings, { origins: [4], withTargets: true });
    // Rows 2 and 3 (14, 18 → 2, 4): level 3; the static level still covers the encoder (rows 0-3).
    expect(batch.offsets[0]).toBe(3);
    expect(batch.static[1]![0]).toBeCloseTo(1.75);
    expect(Array.from(batch.targets!)).toEqual([5 - 3]);
  });

  it('keeps the basic calendar inputs and absolute targets without lags, festive flag or window scaling', () => {
    const settings = settingsFor();
    expect(decoderVariables(settings).map((spec) => spec.name)).toEqual([
      'hour',
      'dow',
      'month',
      'holiday',
      'dst',
      'time_index',
    ]);
    const batch = buildBatch(prepareSeries(frameOf([10, 12, 14, 16, 18]), settings), settings, {
      origins: [3],
      withTargets: true,
    });
    expect(Array.from(batch.offsets)).toEqual([0]);
    expect(Array.from(batch.targets!)).toEqual([3, 4]);
  });

  it('treats hours before the frame as missing when the history is shorter than the encoder', () => {
    const settings = settingsFor();
    const series = prepareSeries(frameOf([12, 14]), settings, { from: -1, to: 4 });
    const batch = buildBatch(series, settings, { origins: [2], withTargets: false });
    expect(Array.from(batch.encoder[1]!)).toEqual([1, 0, 0]);
    expect(Array.from(batch.encoder[0]!)).toEqual([0, 1, 2]);
  });

  it('rejects frames that are not an hourly grid or lack a column', () => {
    const frame = frameOf([1, 2, 3]);
    frame.ts[2] = frame.ts[1]! + 2 * HOUR_MS;
    expect(() => checkHourlyGrid(frame)).toThrow(/not contiguous at row 3/);
    try {
      prepareSeries(frameOf([1, 2]), settingsFor({ target: 'missing' }));
      expect.unreachable();
    } catch (error) {
      expect(isDcgridError(error, 'E_HEADER_MISSING')).toBe(true);
    }
  });
});
