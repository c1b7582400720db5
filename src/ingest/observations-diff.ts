/**
 * What an ingest changes, worked out in memory against the observations already stored: only new
 * or changed readings go to the database (an unchanged re-run sends none), and the feature build
 * gets every stored series with the ingest's readings laid over it, without reading them again.
 * Equality is the database's: the same interval and the same value, a missing value (NaN, NULL
 * in the table) equal to another missing one.
 */
import type { MergedSeries } from './merge.js';

export function seriesKey(s: Pick<MergedSeries, 'source' | 'series' | 'region'>): string {
  return `${s.source}|${s.series}|${s.region}`;
}

function sameReading(a: MergedSeries, i: number, b: MergedSeries, j: number): boolean {
  if (a.intervalMin[i] !== b.intervalMin[j]) return false;
  const x = a.values[i]!;
  const y = b.values[j]!;
  return x === y || (Number.isNaN(x) && Number.isNaN(y));
}

function pick(series: MergedSeries, rows: readonly number[]): MergedSeries {
  return {
    source: series.source,
    series: series.series,
    region: series.region,
    ts: Float64Array.from(rows, (r) => series.ts[r]!),
    intervalMin: Int16Array.from(rows, (r) => series.intervalMin[r]!),
    values: Float64Array.from(rows, (r) => series.values[r]!),
  };
}

/** The readings of `incoming` that `stored` (the same series, both sorted by time) lacks or holds otherwise. */
export function changedReadings(incoming: MergedSeries, stored: MergedSeries | undefined): MergedSeries {
  if (stored === undefined) return incoming;
  const rows: number[] = [];
  let j = 0;
  for (let i = 0; i < incoming.ts.length; i++) {
    const t = incoming.ts[i]!;
    while (j < stored.ts.length && stored.ts[j]! < t) j++;
    if (j < stored.ts.length && stored.ts[j] === t && sameReading(incoming, i, stored, j)) continue;
    rows.push(i);
  }
  return rows.length === incoming.ts.length ? incoming : pick(incoming, rows);
}

/** Every time of either series, in order; `incoming`'s reading where both have one. */
export function overlay(stored: MergedSeries, incoming: MergedSeries): MergedSeries {
  const n = stored.ts.length;
  const m = incoming.ts.length;
  const ts = new Float64Array(n + m);
  const intervalMin = new Int16Array(n + m);
  const values = new Float64Array(n + m);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < n || j < m) {
    const fromStored = j >= m || (i < n && stored.ts[i]! < incoming.ts[j]!);
    const source = fromStored ? stored : incoming;
    const row = fromStored ? i : j;
    ts[k] = source.ts[row]!;
    intervalMin[k] = source.intervalMin[row]!;
    values[k] = source.values[row]!;
    k++;
    if (fromStored) i++;
    else {
      if (i < n && stored.ts[i] === incoming.ts[j]) i++;
      j++;
    }
  }
  return {
    source: stored.source,
    series: stored.series,
    region: stored.region,
    ts: ts.slice(0, k),
    intervalMin: intervalMin.slice(0, k),
    values: values.slice(0, k),
  };
}

/**
 * Compares an ingest's series with everything stored: `changes` holds the readings to write
 * (series with none left out), `all` every series as it will be once they are written.
 */
export function diffAgainstStored(
  incoming: readonly MergedSeries[],
  stored: readonly MergedSeries[],
): { changes: MergedSeries[]; all: MergedSeries[] } {
  const storedByKey = new Map(stored.map((s) => [seriesKey(s), s]));
  const changes: MergedSeries[] = [];
  const all: MergedSeries[] = [];
  const seen = new Set<string>();
  for (const series of incoming) {
    const key = seriesKey(series);
    seen.add(key);
    const before = storedByKey.get(key);
    const changed = changedReadings(series, before);
    if (changed.ts.length > 0) changes.push(changed);
    all.push(before === undefined ? series : changed.ts.length === 0 ? before : overlay(before, changed));
  }
  for (const series of stored) if (!seen.has(seriesKey(series))) all.push(series);
  return { changes, all };
}
