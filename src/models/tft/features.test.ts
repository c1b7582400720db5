import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import type { HourlyFrame } from '../types.js';
import {
  buildBatch,
  checkHourlyGrid,
  columnStats,
  encoderVariables,
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

  it('never reads rows at or after the origin for inputs (no leakage)', () => {
    const settings = settingsFor({
      pastColumns: ['demand'],
      normalisation: { target: { mean: 10, std: 2 }, past: { demand: { mean: 0, std: 1 } } },
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
