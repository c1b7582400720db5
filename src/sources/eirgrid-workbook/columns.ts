/**
 * Column headers of EirGrid's "System Data Qtr Hourly" workbooks (2014-2026 sets) and the
 * canonical series each one feeds.
 */
import type { Region } from '../../config/config.js';
import type { SeriesName } from '../types.js';

export interface DataColumn {
  /** The header as EirGrid writes it. */
  header: string;
  series: SeriesName;
  region: Region;
}

/** Series stored as fractions 0..1 (the 2026 workbooks; older ones may hold percents). */
export const FRACTION_SERIES: ReadonlySet<SeriesName> = new Set([
  'snsp',
  'wind_penetration',
  'solar_penetration',
  'oversupply_fraction',
]);

/** The sheet that holds the data (found by name, not position). */
export const SYSTEM_DATA_SHEET = 'System Data';
export const DATETIME_HEADER = 'DateTime';
export const GMT_OFFSET_HEADER = 'GMT Offset';

const JURISDICTIONS: ReadonlyArray<{ prefix: string; region: Region }> = [
  { prefix: 'NI', region: 'NI' },
  { prefix: 'IE', region: 'IE' },
  { prefix: 'AI', region: 'ALL' },
];

/**
 * Every known data column: the full 2026 set (which also covers the older, smaller sets) in the
 * importers' NI, IE, AI order; the writer uses this order.
 */
export const DATA_COLUMNS: readonly DataColumn[] = JURISDICTIONS.flatMap(({ prefix, region }) => {
  const own = (measure: string, series: SeriesName): DataColumn => ({
    header: `${prefix} ${measure}`,
    series,
    region,
  });
  const block: DataColumn[] = [
    own('Generation', 'generation_mw'),
    own('Demand', 'demand_mw'),
    own('Wind Availability', 'wind_availability_mw'),
    own('Wind Generation', 'wind_mw'),
    own('Solar Availability', 'solar_availability_mw'),
    own('Solar Generation', 'solar_mw'),
  ];
  // Batteries are published for NI only, Hydro for IE and AI (the 2026 set).
  if (region === 'NI') block.push(own('Batteries', 'battery_mw'));
  else block.push(own('Hydro', 'hydro_mw'));
  if (region === 'NI') block.push({ header: 'Moyle I/C', series: 'ic_moyle_mw', region: 'NI' });
  if (region === 'IE') {
    block.push({ header: 'EWIC I/C', series: 'ic_ewic_mw', region: 'IE' });
    block.push({ header: 'Greenlink I/C', series: 'ic_greenlink_mw', region: 'IE' });
  }
  if (region === 'ALL') {
    block.push({ header: 'Inter-Jurisdictional Flow', series: 'ic_north_south_mw', region: 'ALL' });
  }
  block.push(own('Wind Penetration', 'wind_penetration'), own('Solar Penetration', 'solar_penetration'));
  if (region === 'ALL') {
    block.push(own('Oversupply', 'oversupply_mw'), own('Oversupply Percentage', 'oversupply_fraction'), {
      header: 'SNSP',
      series: 'snsp',
      region: 'ALL',
    });
  }
  return block;
});

/** Other spellings seen or announced (Oversupply was renamed Surplus), keyed by normalised header. */
const ALIASES: Readonly<Record<string, string>> = {
  'date time': 'datetime',
  'gmt offset hours': 'gmt offset',
  'ai surplus': 'ai oversupply',
  'ai surplus percentage': 'ai oversupply percentage',
  'ai oversupply pct': 'ai oversupply percentage',
  'ai snsp': 'snsp',
  'ni battery': 'ni batteries',
  moyle: 'moyle ic',
  'moyle interconnector': 'moyle ic',
  ewic: 'ewic ic',
  'ewic interconnector': 'ewic ic',
  greenlink: 'greenlink ic',
  'greenlink interconnector': 'greenlink ic',
  'interjurisdictional flow': 'inter jurisdictional flow',
};

/**
 * A header reduced to compare spellings: case, runs of spaces, hyphens and underscores, "I/C"
 * vs "IC", a trailing "(%)" or "(MW)" unit, and "ROI" for "IE" (the dashboard's name) do not matter.
 */
export function normaliseHeader(header: string): string {
  const reduced = header
    .toLowerCase()
    .replace(/\((?:%|mw)\)|%/g, ' ')
    .replace(/\bi\s*\/\s*c\b/g, 'ic')
    .replace(/[\s_\-–]+/g, ' ')
    .trim()
    .replace(/^roi /, 'ie ');
  return ALIASES[reduced] ?? reduced;
}

const BY_NORMALISED = new Map(DATA_COLUMNS.map((column) => [normaliseHeader(column.header), column]));

export type HeaderMatch =
  { kind: 'datetime' } | { kind: 'gmtOffset' } | { kind: 'data'; column: DataColumn } | { kind: 'unknown' };

export function matchHeader(header: string): HeaderMatch {
  const key = normaliseHeader(header);
  if (key === 'datetime') return { kind: 'datetime' };
  if (key === 'gmt offset') return { kind: 'gmtOffset' };
  const column = BY_NORMALISED.get(key);
  return column ? { kind: 'data', column } : { kind: 'unknown' };
}

/** The header EirGrid uses for a series in a region, if the workbook has one. */
export function headerFor(series: SeriesName, region: Region): string | undefined {
  return DATA_COLUMNS.find((column) => column.series === series && column.region === region)?.header;
}

const KNOWN_HEADERS: ReadonlyArray<readonly [string, string]> = [
  [normaliseHeader(DATETIME_HEADER), DATETIME_HEADER],
  [normaliseHeader(GMT_OFFSET_HEADER), GMT_OFFSET_HEADER],
  ...DATA_COLUMNS.map((column) => [normaliseHeader(column.header), column.header] as const),
];

/**
 * The known column an unknown header looks like a misspelling, a cut or an extension of, if any:
 * within two edits (one for short names; a swap of two letters is one edit), cut short ("IE Wind
 * Avail") or with a unit or number after it ("IE Demand (GW)", "IE Demand 2"). Such a header is refused rather than ignored,
 * because ignoring it would silently drop a series the file means to carry.
 */
export function resemblingHeader(header: string): string | undefined {
  const key = normaliseHeader(header);
  let best: { name: string; distance: number } | undefined;
  for (const [known, name] of KNOWN_HEADERS) {
    const cut = key.length >= 5 && known.startsWith(key);
    const extended =
      key.startsWith(known) && /^\s*(?:\(.*\)|\[.*\]|\d+|[a-z]{1,2})$/.test(key.slice(known.length));
    const prefix = cut || extended;
    const distance = prefix ? 0 : editDistance(key, known, 2);
    const allowed = Math.min(known.length, key.length) <= 5 ? 1 : 2;
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Optimal-string-alignment distance between a and b, or `limit + 1` once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
