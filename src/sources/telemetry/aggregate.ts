/**
 * From metered readings of one or more sites to one data-centre load per region and interval.
 * The telemetry is taken to cover the data-centre load of the forecast scope, so the sites'
 * readings at the same timestamp are summed. A site counts from its first to its last reading:
 * inside that span a missing reading makes the total missing (an incomplete sum would look like
 * a drop in load); outside it the site is taken as not (yet, or any more) in service.
 */
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { Observation } from '../types.js';

export interface Reading {
  tsUtc: number;
  mw: number | null;
  /** 1-based row of the file, for messages. */
  row: number;
}

/** The readings of one site in one region, by UTC timestamp. */
export interface SiteSeries {
  site: string;
  region: Region;
  readings: Map<number, Reading>;
}

export interface SummedLoad {
  records: Observation[];
  notes: string[];
}

interface SortedSite {
  site: string;
  readings: Map<number, Reading>;
  /** The readings' timestamps in increasing order. */
  times: Float64Array;
}

const MINUTE_MS = 60_000;
/** A site needs this many spacings between readings before its own step is trusted. */
const MIN_SPACINGS = 3;
/** Step lengths accepted, in minutes: those that divide an hour. */
const STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

export function sumSites(series: readonly SiteSeries[], file: string): SummedLoad {
  const notes: string[] = [];
  const records: Observation[] = [];
  const regions = [...new Set(series.map((s) => s.region))].sort();
  for (const region of regions) {
    const sites: SortedSite[] = series
      .filter((s) => s.region === region)
      .map((s) => ({
        site: s.site,
        readings: s.readings,
        times: Float64Array.from(s.readings.keys()).sort(),
      }));
    const stepMin = commonStep(sites, file, region, notes);
    for (const site of sites) checkGrid(site, stepMin, file);
    const { totals, times, incomplete } = totalsOf(sites);
    if (sites.length > 1) {
      const names = sites.map((s) => s.site).sort();
      notes.push(`${region}: summed ${sites.length} sites (${names.join(', ')}) at each timestamp`);
    }
    if (incomplete > 0) {
      notes.push(
        `${region}: ${incomplete} timestamp(s) left missing because a site had no reading within its span`,
      );
    }
    noteGaps(times, stepMin, region, notes);
    for (const ts of times) {
      records.push({
        series: 'dc_load_mw',
        region,
        tsUtc: ts,
        intervalMin: stepMin,
        value: totals.get(ts) ?? null,
      });
    }
  }
  return { records, notes };
}

/**
 * The region's step: the most common spacing of each site with at least MIN_SPACINGS spacings
 * (these must agree: summing a 15-min site with a 30-min one would make every other total
 * incomplete), else the most common spacing of all readings; 60 min when there is no spacing.
 */
function commonStep(sites: readonly SortedSite[], file: string, region: Region, notes: string[]): number {
  const siteSteps = new Map<string, number>();
  const all = new Map<number, number>();
  for (const { site, times } of sites) {
    const counts = spacingCounts(times);
    for (const [step, count] of counts) all.set(step, (all.get(step) ?? 0) + count);
    if (times.length - 1 >= MIN_SPACINGS) siteSteps.set(site, modeOf(counts));
  }
  const distinct = new Set(siteSteps.values());
  if (distinct.size > 1) {
    const list = [...siteSteps].map(([site, step]) => `${siteName(site)} ${step} min`).join(', ');
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `the sites of ${region} are metered at different steps (${list}); resample them to one step first`,
      { file },
    );
  }
  if (all.size === 0) {
    notes.push(`${region}: a single timestamp gives no step; taken as 60 min`);
    return 60;
  }
  const step = distinct.size === 1 ? ([...distinct][0] as number) : modeOf(all);
  if (!STEPS.includes(step)) {
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `readings of ${region} are mostly ${step} min apart; the step must divide an hour (${STEPS.join(', ')} min)`,
      { file },
    );
  }
  return step;
}

function spacingCounts(times: Float64Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = ((times[i] as number) - (times[i - 1] as number)) / MINUTE_MS;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  return counts;
}

/** The most frequent spacing; the smaller one on a tie. */
function modeOf(counts: Map<number, number>): number {
  return ([...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] as [number, number])[0];
}

/** Every reading must sit on the step's grid, so that sites' readings line up for the sum. */
function checkGrid(site: SortedSite, stepMin: number, file: string): void {
  for (const ts of site.times) {
    if (ts % (stepMin * MINUTE_MS) !== 0) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${new Date(ts).toISOString()} is not on the ${stepMin}-minute grid of this file`,
        { file, line: site.readings.get(ts)?.row, column: 'timestamp' },
      );
    }
  }
}

/**
 * Sums the sites at every timestamp any of them has. Inside a site's span (first to last
 * reading) a timestamp it has no reading for leaves the total missing, as does a missing value.
 */
function totalsOf(sites: readonly SortedSite[]): {
  totals: Map<number, number | null>;
  times: Float64Array;
  incomplete: number;
} {
  const totals = new Map<number, number | null>();
  for (const { readings } of sites) {
    for (const [ts, { mw }] of readings) {
      const sum = totals.get(ts);
      totals.set(ts, sum === undefined ? mw : sum === null || mw === null ? null : sum + mw);
    }
  }
  const times = Float64Array.from(totals.keys()).sort();
  const incompleteTimes = new Set<number>();
  if (sites.length > 1) {
    for (const { readings, times: own } of sites) {
      const last = own[own.length - 1] as number;
      for (
        let i = lowerBound(times, own[0] as number);
        i < times.length && (times[i] as number) <= last;
        i++
      ) {
        if (!readings.has(times[i] as number)) incompleteTimes.add(times[i] as number);
      }
    }
  }
  for (const [ts, sum] of totals) {
    if (incompleteTimes.has(ts)) totals.set(ts, null);
    // Sums of decimal readings pick up binary noise (59.949999...): keep a micro-MW resolution.
    else if (sum !== null) totals.set(ts, Math.round(sum * 1e6) / 1e6);
  }
  return { totals, times, incomplete: incompleteTimes.size };
}

/** Index of the first element not below `value` in a sorted array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function noteGaps(times: Float64Array, stepMin: number, region: Region, notes: string[]): void {
  const gaps: string[] = [];
  for (let i = 1; i < times.length; i++) {
    const expected = (times[i - 1] as number) + stepMin * MINUTE_MS;
    if ((times[i] as number) > expected)
      gaps.push(`${isoMinute(expected)} to ${isoMinute(times[i] as number)}`);
  }
  if (gaps.length === 0) return;
  const shown = gaps.slice(0, 5).join('; ');
  notes.push(
    `${region}: no readings in ${gaps.length} stretch(es): ${shown}${gaps.length > 5 ? '; ...' : ''}`,
  );
}

function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function siteName(site: string): string {
  return site === '' ? 'the' : `site "${site}"`;
}
