/**
 * Checks that the workbook's rows form a regular UTC grid once DateTime - GMT Offset is applied:
 * drops identical repeats, rejects conflicting ones, finds the step and reports holes.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { TimeRange } from '../types.js';
import type { HeaderLayout } from './header.js';
import type { WorkbookRow } from './row-reader.js';

export interface GridCheck {
  rows: WorkbookRow[];
  stepMs: number;
  duplicatesDropped: number;
  /** Missing intervals inside the grid, [from, to) in UTC. */
  holes: TimeRange[];
}

const QUARTER_HOUR_MS = 900_000;

function sameValues(a: WorkbookRow, b: WorkbookRow): boolean {
  return a.values.every((value, i) => value === b.values[i]);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}

/** Sorts by UTC (stable), removes identical duplicates and validates the grid. */
export function checkUtcGrid(input: WorkbookRow[], layout: HeaderLayout, file: string): GridCheck {
  const sorted = [...input].sort((a, b) => a.utcMs - b.utcMs || a.rowNumber - b.rowNumber);
  const rows: WorkbookRow[] = [];
  let duplicatesDropped = 0;
  for (const row of sorted) {
    const previous = rows[rows.length - 1];
    if (previous !== undefined && previous.utcMs === row.utcMs) {
      if (sameValues(previous, row)) {
        duplicatesDropped++;
        continue;
      }
      const differing = layout.data.find((_, i) => previous.values[i] !== row.values[i]);
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `rows ${previous.rowNumber} and ${row.rowNumber} both give ${iso(row.utcMs)} (DateTime - GMT Offset) ` +
          `with different values${differing ? ` in "${differing.header}"` : ''}`,
        { file, row: row.rowNumber, column: differing?.header },
      );
    }
    rows.push(row);
  }

  const stepMs = commonStep(rows);
  const holes: TimeRange[] = [];
  const first = rows[0]?.utcMs ?? 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if ((row.utcMs - first) % stepMs !== 0) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${iso(row.utcMs)} (DateTime - GMT Offset) is off the ${stepMs / 60_000}-minute grid that starts at ${iso(first)}`,
        { file, row: row.rowNumber, column: 'DateTime' },
      );
    }
    const next = rows[i + 1];
    if (next !== undefined && next.utcMs - row.utcMs > stepMs) {
      holes.push({ from: row.utcMs + stepMs, to: next.utcMs });
    }
  }
  return { rows, stepMs, duplicatesDropped, holes };
}

/** The most frequent gap between consecutive timestamps (15 minutes when there is one row). */
function commonStep(rows: readonly WorkbookRow[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < rows.length; i++) {
    const step = rows[i]!.utcMs - rows[i - 1]!.utcMs;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = QUARTER_HOUR_MS;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) [best, bestCount] = [step, count];
  }
  return best;
}

export function describeHoles(holes: readonly TimeRange[], stepMs: number): string {
  const slots = holes.reduce((sum, hole) => sum + (hole.to - hole.from) / stepMs, 0);
  const listed = holes
    .slice(0, 5)
    .map((hole) => `${iso(hole.from)}..${iso(hole.to)}`)
    .join(', ');
  const more = holes.length > 5 ? ` and ${holes.length - 5} more` : '';
  return `the UTC grid has ${slots} missing ${stepMs / 60_000}-minute interval(s) in ${holes.length} hole(s): ${listed}${more}`;
}
