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
  site: string;
  region: Region;
  tsUtc: number;
  mw: number | null;
  row: number;
}

export interface SummedLoad {
  records: Observation[];
  notes: string[];
}

const MINUTE_MS = 60_000;
/** A site needs this many spacings between readings before its own step is trusted. */
const MIN_SPACINGS = 3;
/** Step lengths accepted, in minutes: those that divide an hour. */
const STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

export function sumSites(readings: readonly Reading[], file: string): SummedLoad {
  const notes: string[] = [];
  const records: Observation[] = [];
  const byRegion = groupBy(readings, (r) => r.region);
  for (const [region, regionReadings] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
    const sites = groupBy(regionReadings, (r) => r.site);
    for (const list of sites.values()) list.sort((a, b) => a.tsUtc - b.tsUtc);
    const stepMin = commonStep(sites, file, region, notes);
    for (const list of sites.values()) checkGrid(list, stepMin, file);
    const { totals, incomplete } = totalsOf(sites);
    if (sites.size > 1) {
      notes.push(
        `${region}: summed ${sites.size} sites (${[...sites.keys()].sort().join(', ')}) at each timestamp`,
      );
    }
    if (incomplete > 0) {
      notes.push(
        `${region}: ${incomplete} timestamp(s) left missing because a site had no reading within its span`,
      );
    }
    const times = [...totals.keys()].sort((a, b) => a - b);
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

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * The region's step: the most common spacing of each site with at least MIN_SPACINGS spacings
 * (these must agree: summing a 15-min site with a 30-min one would make every other total
 * incomplete), else the most common spacing of all readings; 60 min when there is no spacing.
 */
function commonStep(sites: Map<string, Reading[]>, file: string, region: Region, notes: string[]): number {
  const siteSteps = new Map<string, number>();
  const all = new Map<number, number>();
  for (const [site, list] of sites) {
    const counts = spacingCounts(list);
    for (const [step, count] of counts) all.set(step, (all.get(step) ?? 0) + count);
    const spacings = [...counts.values()].reduce((sum, n) => sum + n, 0);
    if (spacings >= MIN_SPACINGS) siteSteps.set(site, modeOf(counts));
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

function spacingCounts(list: readonly Reading[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 1; i < list.length; i++) {
    const step = ((list[i] as Reading).tsUtc - (list[i - 1] as Reading).tsUtc) / MINUTE_MS;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  return counts;
}

/** The most frequent spacing; the smaller one on a tie. */
function modeOf(counts: Map<number, number>): number {
  return ([...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] as [number, number])[0];
}

/** Every reading must sit on the step's grid, so that sites' readings line up for the sum. */
function checkGrid(list: readonly Reading[], stepMin: number, file: string): void {
  for (const reading of list) {
    if (reading.tsUtc % (stepMin * MINUTE_MS) !== 0) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${new Date(reading.tsUtc).toISOString()} is not on the ${stepMin}-minute grid of this file`,
        { file, row: reading.row, column: 'timestamp' },
      );
    }
  }
}

function totalsOf(sites: Map<string, Reading[]>): { totals: Map<number, number | null>; incomplete: number } {
  const totals = new Map<number, number | null>();
  const spans = [...sites.values()].map((list) => ({
    first: (list[0] as Reading).tsUtc,
    last: (list[list.length - 1] as Reading).tsUtc,
    at: new Map(list.map((r) => [r.tsUtc, r.mw])),
  }));
  const times = new Set<number>();
  for (const list of sites.values()) for (const r of list) times.add(r.tsUtc);
  let incomplete = 0;
  for (const ts of times) {
    let sum: number | null = 0;
    let missingSite = false;
    for (const span of spans) {
      if (ts < span.first || ts > span.last) continue;
      const mw = span.at.get(ts);
      if (mw === undefined) missingSite = true;
      if (mw === undefined || mw === null || sum === null) sum = null;
      else sum += mw;
    }
    if (missingSite) incomplete++;
    totals.set(ts, sum === null ? null : Math.round(sum * 1e6) / 1e6);
  }
  return { totals, incomplete };
}

function noteGaps(times: readonly number[], stepMin: number, region: Region, notes: string[]): void {
  const gaps: string[] = [];
  for (let i = 1; i < times.length; i++) {
    const expected = (times[i - 1] as number) + stepMin * MINUTE_MS;
    if ((times[i] as number) > expected) {
      gaps.push(`${isoMinute(expected)} to ${isoMinute(times[i] as number)}`);
    }
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
