/** Test helpers: SeriesPoints from plain readings. */
import { expect } from 'vitest';
import type { Region } from '../../config/config.js';
import type { SeriesName, SourceName } from '../../sources/types.js';
import type { SeriesPoints } from '../hourly.js';

export const MIN_MS = 60_000;

/** Readings `[offsetMinutes, value]` from `start`, all of `intervalMin` minutes (null = published missing). */
export function points(
  source: SourceName,
  series: SeriesName,
  region: Region,
  start: number,
  intervalMin: number,
  readings: ReadonlyArray<readonly [number, number | null]>,
): SeriesPoints {
  return {
    source,
    series,
    region,
    ts: Float64Array.from(readings.map(([offset]) => start + offset * MIN_MS)),
    intervalMin: readings.map(() => intervalMin),
    values: Float64Array.from(readings.map(([, v]) => (v === null ? Number.NaN : v))),
  };
}

/** A regular series from `start`: one reading per interval, value = f(index). */
export function regular(
  source: SourceName,
  series: SeriesName,
  region: Region,
  start: number,
  intervalMin: number,
  count: number,
  f: (index: number) => number | null,
): SeriesPoints {
  return points(
    source,
    series,
    region,
    start,
    intervalMin,
    Array.from({ length: count }, (_, i) => [i * intervalMin, f(i)] as const),
  );
}

/** Float64Array from numbers, null -> NaN. */
export const arr = (values: ReadonlyArray<number | null>): Float64Array =>
  Float64Array.from(values.map((v) => (v === null ? Number.NaN : v)));

/** Array of numbers with NaN -> null, for toEqual comparisons. */
export const list = (values: Float64Array): Array<number | null> =>
  Array.from(values, (v) => (Number.isNaN(v) ? null : v));

/** Asserts a series equals `expected` (null = NaN) to `digits` decimal places. */
export function expectSeries(
  actual: Float64Array,
  expected: ReadonlyArray<number | null>,
  digits = 10,
): void {
  expect(list(actual)).toEqual(expected.map((v) => (v === null ? null : expect.closeTo(v, digits))));
}

/** The error `fn` throws, or null. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}
