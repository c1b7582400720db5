/**
 * Joins the records of every file of one source into one series per (source, series, region):
 * identical repeats across files are dropped and counted, conflicting ones are an error naming
 * both files. Output is columnar and sorted by time, the form the feature builder takes.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Observation, ParseResult, SeriesName, SourceName } from '../sources/types.js';
import type { Region } from '../config/config.js';

export interface MergedSeries {
  source: SourceName;
  series: SeriesName;
  region: Region;
  ts: Float64Array;
  intervalMin: Int16Array;
  /** NaN = published as missing. */
  values: Float64Array;
}

export interface MergeStats {
  /** Identical (source, series, region, ts) rows found in more than one file and dropped. */
  crossFileDuplicatesDropped: number;
}

interface Bucket {
  source: SourceName;
  series: SeriesName;
  region: Region;
  ts: number[];
  interval: number[];
  values: number[];
  file: number[];
}

export function mergeParseResults(results: readonly ParseResult<Observation>[]): {
  series: MergedSeries[];
  stats: MergeStats;
} {
  const buckets = new Map<string, Bucket>();
  results.forEach((result, fileIndex) => {
    let bucket: Bucket | undefined;
    for (const o of result.records) {
      // Records come grouped by series: look the bucket up only when the series changes.
      if (bucket?.series === o.series && bucket.region === o.region) {
        bucket.ts.push(o.tsUtc);
        bucket.interval.push(o.intervalMin);
        bucket.values.push(o.value ?? Number.NaN);
        bucket.file.push(fileIndex);
        continue;
      }
      const key = `${result.source}|${o.series}|${o.region}`;
      bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = {
          source: result.source,
          series: o.series,
          region: o.region,
          ts: [],
          interval: [],
          values: [],
          file: [],
        };
        buckets.set(key, bucket);
      }
      bucket.ts.push(o.tsUtc);
      bucket.interval.push(o.intervalMin);
      bucket.values.push(o.value ?? Number.NaN);
      bucket.file.push(fileIndex);
    }
  });

  let crossFileDuplicatesDropped = 0;
  const series: MergedSeries[] = [];
  for (const bucket of [...buckets.values()].sort(compareBuckets)) {
    const n = bucket.ts.length;
    // Files are usually read in time order: sort only when they were not.
    const order = isSorted(bucket.ts)
      ? undefined
      : Array.from(bucket.ts.keys()).sort(
          (a, b) => bucket.ts[a]! - bucket.ts[b]! || bucket.file[a]! - bucket.file[b]!,
        );
    const ts = new Float64Array(n);
    const interval = new Int16Array(n);
    const values = new Float64Array(n);
    let kept = 0;
    let previous = -1;
    for (let k = 0; k < n; k++) {
      const i = order === undefined ? k : order[k]!;
      if (previous >= 0 && bucket.ts[i] === bucket.ts[previous]) {
        const a = bucket.values[previous]!;
        const b = bucket.values[i]!;
        if (a === b || (Number.isNaN(a) && Number.isNaN(b))) {
          crossFileDuplicatesDropped++;
          continue;
        }
        if (Number.isNaN(a) || Number.isNaN(b)) {
          // One file published the slot as missing, another has a value: the value wins.
          if (Number.isNaN(a)) values[kept - 1] = b;
          crossFileDuplicatesDropped++;
          continue;
        }
        const when = new Date(bucket.ts[i]!).toISOString();
        throw new DcgridError(
          ErrorCodes.DUPLICATE_CONFLICT,
          `${bucket.source} gives two values for ${bucket.series} ${bucket.region} at ${when}: ` +
            `${a} in ${results[bucket.file[previous]!]!.file} and ${b} in ${results[bucket.file[i]!]!.file}`,
          { file: results[bucket.file[i]!]!.file },
        );
      }
      ts[kept] = bucket.ts[i]!;
      interval[kept] = bucket.interval[i]!;
      values[kept] = bucket.values[i]!;
      kept++;
      previous = i;
    }
    series.push({
      source: bucket.source,
      series: bucket.series,
      region: bucket.region,
      ts: kept === n ? ts : ts.slice(0, kept),
      intervalMin: kept === n ? interval : interval.slice(0, kept),
      values: kept === n ? values : values.slice(0, kept),
    });
  }
  return { series, stats: { crossFileDuplicatesDropped } };
}

function compareBuckets(a: Bucket, b: Bucket): number {
  return (
    a.source.localeCompare(b.source) || a.series.localeCompare(b.series) || a.region.localeCompare(b.region)
  );
}

function isSorted(ts: readonly number[]): boolean {
  for (let i = 1; i < ts.length; i++) if (ts[i]! < ts[i - 1]!) return false;
  return true;
}
