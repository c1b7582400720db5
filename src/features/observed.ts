/**
 * The observed columns of one region on its hourly grid: which ingested series feed which column,
 * the region's grid, and each column after hourly means, source precedence and region rules.
 */
import type { Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { OBSERVED_COLUMNS, type ObservedColumn } from './flags.js';
import {
  aggregateHourly,
  describeSeries,
  valueHourRange,
  type HourGrid,
  type HourlySeries,
  type SeriesPoints,
} from './hourly.js';
import { mergeByPrecedence, type MergedHourly } from './precedence.js';
import { REGION_RULES, regionsFeeding, resolveColumn, type ResolvedColumn } from './regions.js';

/** SNSP values above this are taken to be percent: a unit error upstream. */
const SNSP_FRACTION_LIMIT = 1.5;

export type SeriesIndex = Map<ObservedColumn, Map<Region, SeriesPoints[]>>;

export interface ObservedColumnData {
  resolved: ResolvedColumn;
  /** Per feeding region, the sources merged by precedence. */
  merged: Map<Region, MergedHourly>;
}

export interface ObservedData {
  grid: HourGrid;
  columns: Map<ObservedColumn, ObservedColumnData>;
  /** Hourly means of every input series read for this region. */
  hourlyBySeries: Map<SeriesPoints, HourlySeries>;
}

export function indexSeries(series: readonly SeriesPoints[]): { index: SeriesIndex; unused: string[] } {
  const index: SeriesIndex = new Map();
  const unused: string[] = [];
  for (const points of series) {
    if (!(OBSERVED_COLUMNS as string[]).includes(points.series)) {
      unused.push(describeSeries(points));
      continue;
    }
    const column = points.series as ObservedColumn;
    const byRegion = index.get(column) ?? new Map<Region, SeriesPoints[]>();
    byRegion.set(points.region, [...(byRegion.get(points.region) ?? []), points]);
    index.set(column, byRegion);
  }
  return { index, unused };
}

function checkSnspIsFraction(points: SeriesPoints): void {
  if (points.series !== 'snsp') return;
  for (let i = 0; i < points.values.length; i++) {
    const value = points.values[i]!;
    if (value > SNSP_FRACTION_LIMIT) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${describeSeries(points)}: SNSP ${value} at ${new Date(points.ts[i]!).toISOString()} is not a fraction 0..1 (percent given?)`,
      );
    }
  }
}

type HourRange = { first: number; last: number };

function unionRange(list: readonly SeriesPoints[]): HourRange | null {
  let result: HourRange | null = null;
  for (const points of list) {
    const range = valueHourRange(points);
    if (!range) continue;
    result = result
      ? { first: Math.min(result.first, range.first), last: Math.max(result.last, range.last) }
      : range;
  }
  return result;
}

/**
 * The region's hours: from the first to the last hour with a value in any of its own series; ALL
 * also spans the hours where IE + NI sums apply (both regions report the series).
 */
export function regionGrid(region: Region, index: SeriesIndex): HourGrid | null {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const extend = (range: HourRange | null) => {
    if (!range) return;
    first = Math.min(first, range.first);
    last = Math.max(last, range.last);
  };
  for (const [column, byRegion] of index) {
    extend(unionRange(byRegion.get(region) ?? []));
    if (region === 'ALL' && REGION_RULES[column].kind === 'sum') {
      const ie = unionRange(byRegion.get('IE') ?? []);
      const ni = unionRange(byRegion.get('NI') ?? []);
      if (ie && ni && Math.max(ie.first, ni.first) <= Math.min(ie.last, ni.last)) {
        extend({ first: Math.max(ie.first, ni.first), last: Math.min(ie.last, ni.last) });
      }
    }
  }
  if (first > last) return null;
  return { start: first, hours: Math.round((last - first) / HOUR_MS) + 1 };
}

/** Every observed column of `region` on `grid`. */
export function observeColumns(region: Region, index: SeriesIndex, grid: HourGrid): ObservedData {
  const columns = new Map<ObservedColumn, ObservedColumnData>();
  const hourlyBySeries = new Map<SeriesPoints, HourlySeries>();
  for (const column of OBSERVED_COLUMNS) {
    const byRegion = index.get(column);
    if (!byRegion) continue;
    const rule = REGION_RULES[column];
    const merged = new Map<Region, MergedHourly>();
    for (const feeder of new Set(regionsFeeding(rule, region))) {
      const list = byRegion.get(feeder);
      if (!list || list.length === 0) continue;
      const sourced = list.map((points) => {
        checkSnspIsFraction(points);
        const hourly = aggregateHourly(points, grid);
        hourlyBySeries.set(points, hourly);
        return { source: points.source, hourly };
      });
      merged.set(feeder, mergeByPrecedence(sourced));
    }
    const byRegionHourly = Object.fromEntries([...merged].map(([r, m]) => [r, m.hourly]));
    const resolved = resolveColumn(rule, region, byRegionHourly, grid.hours);
    if (resolved) columns.set(column, { resolved, merged });
  }
  return { grid, columns, hourlyBySeries };
}
