/** What a feature build noticed, for the ingest report (JSON-friendly: times as ISO hours). */
import type { Region } from '../config/config.js';
import { HOUR_MS, isoHour } from '../lib/time.js';
import type { SeriesName, SourceName } from '../sources/types.js';
import { NUMERIC_FEATURE_COLUMNS, type NumericFeatureColumn } from './columns.js';
import type { CsoPeriodUsage, ProxyResult } from './dc-proxy.js';
import { flagsOfMask, type FeatureFlag, type ObservedColumn } from './flags.js';
import { valueHourRange, type HourlySeries, type SeriesPoints } from './hourly.js';
import type { ObservedData } from './observed.js';
import { countWins, measureDisagreement, type SourceDisagreement } from './precedence.js';
import type { FeatureTable } from './table.js';

export interface SeriesCoverage {
  source: SourceName;
  series: SeriesName;
  region: Region;
  /** First and last hour with a value anywhere (ISO), null when the series has none. */
  firstHour: string | null;
  lastHour: string | null;
  /** Emitted hours, those where this series has an hourly value, those nulled for too few readings. */
  hoursInRange: number;
  hoursWithValue: number;
  incompleteHours: number;
  coverage: number;
}

export interface ColumnCoverage {
  column: NumericFeatureColumn;
  hoursWithValue: number;
  coverage: number;
}

export interface ColumnSourcing {
  column: ObservedColumn;
  /** Emitted hours whose value each source supplied, per region feeding the column. */
  hoursWon: Array<{ region: Region; source: SourceName; hours: number }>;
}

export type FeatureDisagreement = Omit<SourceDisagreement, 'other'> & {
  column: ObservedColumn;
  region: Region;
  other: SourceName | 'proxy';
};

export interface FeatureQuality {
  region: Region;
  /** Emitted range [from, to) as ISO hours; null when no rows. */
  from: string | null;
  to: string | null;
  rows: number;
  series: SeriesCoverage[];
  columns: ColumnCoverage[];
  sourcing: ColumnSourcing[];
  /** Source pairs over every hour of the region's grid where both have a value (not only emitted hours). */
  disagreements: FeatureDisagreement[];
  /** Emitted rows carrying each flag. */
  flaggedHours: Partial<Record<FeatureFlag, number>>;
  csoPeriods: CsoPeriodUsage[];
  /** Series in the input that no column of this table reads ("source/series/region"). */
  unusedSeries: string[];
  notes: string[];
}

export function columnCoverage(table: FeatureTable): ColumnCoverage[] {
  const hours = table.ts.length;
  return NUMERIC_FEATURE_COLUMNS.map((column) => {
    const values = table.numeric[column];
    let hoursWithValue = 0;
    for (let i = 0; i < hours; i++) if (!Number.isNaN(values[i]!)) hoursWithValue++;
    return { column, hoursWithValue, coverage: hours > 0 ? hoursWithValue / hours : 0 };
  });
}

/** Hours carrying each flag (flags never set are left out). */
export function countFlags(flagMasks: Uint32Array): Partial<Record<FeatureFlag, number>> {
  const perMask = new Map<number, number>();
  for (const mask of flagMasks) perMask.set(mask, (perMask.get(mask) ?? 0) + 1);
  const counts: Partial<Record<FeatureFlag, number>> = {};
  for (const [mask, hours] of perMask) {
    for (const flag of flagsOfMask(mask)) counts[flag] = (counts[flag] ?? 0) + hours;
  }
  return counts;
}

export interface QualityInputs {
  region: Region;
  observed: ObservedData;
  /** Emitted grid indices [lo, hi). */
  lo: number;
  hi: number;
  table: FeatureTable;
  proxy: ProxyResult | null;
  telemetry: Float64Array;
  unused: string[];
  notes: string[];
}

function seriesCoverage(points: SeriesPoints, hourly: HourlySeries, lo: number, hi: number): SeriesCoverage {
  let withValue = 0;
  let incompleteHours = 0;
  for (let h = lo; h < hi; h++) {
    if (!Number.isNaN(hourly.values[h]!)) withValue++;
    if (hourly.incomplete[h]) incompleteHours++;
  }
  const range = valueHourRange(points);
  return {
    source: points.source,
    series: points.series,
    region: points.region,
    firstHour: range ? isoHour(range.first) : null,
    lastHour: range ? isoHour(range.last) : null,
    hoursInRange: hi - lo,
    hoursWithValue: withValue,
    incompleteHours,
    coverage: hi > lo ? withValue / (hi - lo) : 0,
  };
}

export function describeQuality(q: QualityInputs): FeatureQuality {
  const { lo, hi, observed } = q;
  const { grid } = observed;
  const series = [...observed.hourlyBySeries].map(([points, hourly]) =>
    seriesCoverage(points, hourly, lo, hi),
  );
  const sourcing: ColumnSourcing[] = [];
  const disagreements: FeatureDisagreement[] = [];
  for (const [column, data] of observed.columns) {
    const hoursWon: ColumnSourcing['hoursWon'] = [];
    for (const [region, merged] of data.merged) {
      for (const won of countWins(merged, lo, hi)) hoursWon.push({ region, ...won });
      for (const d of merged.disagreements) disagreements.push({ ...d, column, region });
    }
    sourcing.push({ column, hoursWon });
  }
  if (q.proxy) {
    const stats = measureDisagreement(q.telemetry, q.proxy.load);
    if (stats) {
      disagreements.push({
        column: 'dc_load_mw',
        region: q.region,
        winner: 'telemetry',
        other: 'proxy',
        ...stats,
      });
    }
  }
  const from = grid.start + lo * HOUR_MS;
  const to = grid.start + hi * HOUR_MS;
  return {
    region: q.region,
    from: hi > lo ? isoHour(from) : null,
    to: hi > lo ? isoHour(to) : null,
    rows: q.table.ts.length,
    series,
    columns: columnCoverage(q.table),
    sourcing,
    disagreements,
    flaggedHours: countFlags(q.table.flagMasks),
    csoPeriods: q.proxy
      ? q.proxy.periods.filter((p) => Date.parse(p.end) > from && Date.parse(p.start) < to)
      : [],
    unusedSeries: q.unused,
    notes: q.notes,
  };
}

export function emptyQuality(region: Region, unused: string[], note: string): FeatureQuality {
  return {
    region,
    from: null,
    to: null,
    rows: 0,
    series: [],
    columns: [],
    sourcing: [],
    disagreements: [],
    flaggedHours: {},
    csoPeriods: [],
    unusedSeries: unused,
    notes: [note],
  };
}
