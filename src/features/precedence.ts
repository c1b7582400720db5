/**
 * When several sources give the same series for the same region and hour, the value of the source
 * ranked first here wins; the others fill only hours it leaves empty. How far they disagree where
 * both have a value is measured for the quality report.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { SourceName } from '../sources/types.js';
import type { HourlySeries } from './hourly.js';

/** Highest precedence first: metered telemetry, then the EirGrid workbook over the dashboard, SEMOpx over Ember. */
export const SOURCE_PRECEDENCE: readonly SourceName[] = [
  'telemetry',
  'eirgrid-workbook',
  'dashboard',
  'semopx',
  'ember',
  'cso',
];

export interface SourcedHourly {
  source: SourceName;
  hourly: HourlySeries;
}

export interface SourceDisagreement {
  winner: SourceName;
  other: SourceName;
  /** Hours where both sources have a value. */
  overlapHours: number;
  /** Mean of winner - other over the overlap. */
  meanDiff: number;
  meanAbsDiff: number;
  maxAbsDiff: number;
}

export interface MergedHourly {
  hourly: HourlySeries;
  /** The sources, highest precedence first. */
  sources: SourceName[];
  /** Per hour, the index in `sources` of the source whose value was kept (-1: none). */
  winner: Int8Array;
  /** Pairwise differences over every hour where two sources overlap. */
  disagreements: SourceDisagreement[];
}

function rank(source: SourceName): number {
  return SOURCE_PRECEDENCE.indexOf(source);
}

export function compareSources(a: SourceName, b: SourceName): number {
  return rank(a) - rank(b);
}

/** Differences a - b over the hours where both have a value; null when they never overlap. */
export function measureDisagreement(
  a: Float64Array,
  b: Float64Array,
): Omit<SourceDisagreement, 'winner' | 'other'> | null {
  let n = 0;
  let sum = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  for (let h = 0; h < a.length; h++) {
    const x = a[h]!;
    const y = b[h]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const diff = x - y;
    n++;
    sum += diff;
    sumAbs += Math.abs(diff);
    if (Math.abs(diff) > maxAbs) maxAbs = Math.abs(diff);
  }
  if (n === 0) return null;
  return { overlapHours: n, meanDiff: sum / n, meanAbsDiff: sumAbs / n, maxAbsDiff: maxAbs };
}

export function mergeByPrecedence(candidates: readonly SourcedHourly[]): MergedHourly {
  if (candidates.length === 0) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'mergeByPrecedence needs at least one source');
  }
  const ordered = [...candidates].sort((a, b) => compareSources(a.source, b.source));
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.source === ordered[i - 1]!.source) {
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `source ${ordered[i]!.source} appears twice for the same series and region`,
      );
    }
  }
  const hours = ordered[0]!.hourly.values.length;
  const values = new Float64Array(hours).fill(Number.NaN);
  const incomplete = new Uint8Array(hours);
  const winner = new Int8Array(hours).fill(-1);
  ordered.forEach(({ hourly }, rank) => {
    for (let h = 0; h < hours; h++) {
      if (!Number.isNaN(values[h]!)) continue;
      const value = hourly.values[h]!;
      if (Number.isNaN(value)) {
        if (hourly.incomplete[h]) incomplete[h] = 1;
      } else {
        values[h] = value;
        incomplete[h] = 0;
        winner[h] = rank;
      }
    }
  });
  const disagreements: SourceDisagreement[] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const stats = measureDisagreement(ordered[i]!.hourly.values, ordered[j]!.hourly.values);
      if (stats) disagreements.push({ winner: ordered[i]!.source, other: ordered[j]!.source, ...stats });
    }
  }
  return { hourly: { values, incomplete }, sources: ordered.map((c) => c.source), winner, disagreements };
}

/** Hours in [from, to) whose value each source supplied. */
export function countWins(
  merged: MergedHourly,
  from: number,
  to: number,
): Array<{ source: SourceName; hours: number }> {
  const counts = new Array<number>(merged.sources.length).fill(0);
  for (let h = from; h < to; h++) {
    const w = merged.winner[h]!;
    if (w >= 0) counts[w]!++;
  }
  return merged.sources.map((source, i) => ({ source, hours: counts[i]! }));
}
