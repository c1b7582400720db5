/**
 * Writes observations in the Smart Grid Dashboard's own formats: the header-less CSV export,
 * the old `DashboardService.svc/data` JSON envelope and the new `/api/chart/` JSON. Times are
 * written as the dashboard does: Irish local time on a fixed wall-clock grid, with empty rows
 * for the skipped spring hour and the repeated autumn hour given once.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import {
  HOUR_MS,
  classifyIrishWall,
  formatDashboardDate,
  irishSummerTimeUtc,
  utcToIrishWallMs,
} from '../../lib/time.js';
import type { Observation } from '../types.js';
import { CODE_OF_REGION, FIELDS, FIELD_OF_SERIES, shiftDecimal } from './fields.js';

export interface DashboardRow {
  EffectiveTime: string;
  FieldName: string;
  Region: string;
  Value: number | null;
}

export interface DashboardRowOptions {
  /**
   * Reproduce the dashboard's clock-change habits (default true): an empty row for each slot of
   * the skipped spring hour, and only the first occurrence of the repeated autumn hour.
   */
  dashboardClock?: boolean;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "04-Jun-2025 00:15:00" for a wall-clock epoch. */
export function formatEffectiveTime(wallMs: number): string {
  const d = new Date(wallMs);
  return `${formatDashboardDate(wallMs)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Observations as dashboard rows, grouped by field and region, in wall-clock order. */
export function toDashboardRows(
  observations: readonly Observation[],
  options: DashboardRowOptions = {},
): DashboardRow[] {
  const dashboardClock = options.dashboardClock ?? true;
  const groups = new Map<string, Array<{ wall: number; value: number | null }>>();
  const steps = new Map<string, number>();
  for (const o of observations) {
    const field = FIELD_OF_SERIES[o.series];
    if (field === undefined) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `series ${o.series} has no Smart Grid Dashboard FieldName`,
      );
    }
    const wall = utcToIrishWallMs(o.tsUtc);
    // The GMT occurrence of the repeated autumn hour is not published.
    if (dashboardClock && classifyIrishWall(wall) === 'ambiguous' && o.tsUtc === wall) continue;
    const key = `${field}|${CODE_OF_REGION[o.region]}`;
    const percent = FIELDS[field]!.percent;
    let rows = groups.get(key);
    if (rows === undefined) groups.set(key, (rows = []));
    rows.push({ wall, value: o.value === null ? null : percent ? shiftDecimal(o.value, 2) : o.value });
    steps.set(key, o.intervalMin * 60_000);
  }

  const result: DashboardRow[] = [];
  for (const [key, rows] of groups) {
    const [field, region] = key.split('|') as [string, string];
    if (dashboardClock) addSpringGapRows(rows, steps.get(key)!);
    rows.sort((a, b) => a.wall - b.wall);
    for (const { wall, value } of rows) {
      result.push({
        EffectiveTime: formatEffectiveTime(wall),
        FieldName: field,
        Region: region,
        Value: value,
      });
    }
  }
  return result;
}

/** Adds empty rows for the skipped spring hour on every clock-change day the rows cross. */
function addSpringGapRows(rows: Array<{ wall: number; value: number | null }>, stepMs: number): void {
  if (rows.length === 0) return;
  let first = Infinity;
  let last = -Infinity;
  for (const { wall } of rows) {
    if (wall < first) first = wall;
    if (wall > last) last = wall;
  }
  for (let year = new Date(first).getUTCFullYear(); year <= new Date(last).getUTCFullYear(); year++) {
    const gapFrom = irishSummerTimeUtc(year)[0];
    if (gapFrom <= first || gapFrom >= last) continue;
    for (let wall = gapFrom; wall < gapFrom + HOUR_MS; wall += stepMs) rows.push({ wall, value: null });
  }
}

/** pandas `to_csv(header=False, index=False)` of the rows: floats keep a ".0". */
export function formatDashboardCsv(rows: readonly DashboardRow[]): string {
  let text = '';
  for (const row of rows) {
    const value =
      row.Value === null ? '' : Number.isInteger(row.Value) ? row.Value.toFixed(1) : String(row.Value);
    text += `${row.EffectiveTime},${row.FieldName},${row.Region},${value}\n`;
  }
  return text;
}

export interface LegacyEnvelopeOptions {
  /** "dd-Mon-yyyy HH:MM:SS"; defaults to the last row's time. */
  lastUpdated?: string;
  status?: string;
  errorMessage?: string | null;
}

/** The old endpoint's `{"ErrorMessage","LastUpdated","Rows","Status"}` envelope. */
export function formatLegacyJson(rows: readonly DashboardRow[], options: LegacyEnvelopeOptions = {}): string {
  return JSON.stringify({
    ErrorMessage: options.errorMessage ?? null,
    LastUpdated: options.lastUpdated ?? rows[rows.length - 1]?.EffectiveTime ?? null,
    Rows: rows.map((row) => ({
      EffectiveTime: row.EffectiveTime,
      FieldName: row.FieldName,
      Region: row.Region,
      Value: row.Value,
    })),
    Status: options.status ?? 'Success',
  });
}

/** The new endpoint's `{"Rows":[...]}` (its key order varies; readers must not depend on it). */
export function formatApiJson(rows: readonly DashboardRow[]): string {
  return JSON.stringify({
    Rows: rows.map((row) => ({
      EffectiveTime: row.EffectiveTime,
      FieldName: row.FieldName,
      Region: row.Region,
      Value: row.Value,
    })),
  });
}

export type DashboardFormat = 'csv' | 'legacy-json' | 'api-json';

/** Writes observations to `path` in one of the dashboard's formats. */
export async function writeDashboardFile(
  path: string,
  observations: readonly Observation[],
  format: DashboardFormat,
  options: DashboardRowOptions = {},
): Promise<void> {
  const rows = toDashboardRows(observations, options);
  const text =
    format === 'csv'
      ? formatDashboardCsv(rows)
      : format === 'legacy-json'
        ? formatLegacyJson(rows)
        : formatApiJson(rows);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
