import type { Region } from '../config/config.js';

/** Every source adapter the project knows; each lives in src/sources/<name>/ with the same file names. */
export const SOURCE_NAMES = ['eirgrid-workbook', 'dashboard', 'ember', 'semopx', 'cso', 'telemetry'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * Canonical series names with their units. Fractions are 0..1 (SNSP, penetrations), whatever the
 * source publishes (the dashboard gives SNSP in percent, the workbook as a fraction).
 */
export const SERIES = {
  demand_mw: 'MW',
  generation_mw: 'MW',
  wind_mw: 'MW',
  wind_availability_mw: 'MW',
  solar_mw: 'MW',
  solar_availability_mw: 'MW',
  hydro_mw: 'MW',
  battery_mw: 'MW',
  ic_ewic_mw: 'MW (positive = import into IE)',
  ic_moyle_mw: 'MW (positive = import into NI)',
  ic_greenlink_mw: 'MW (positive = import into IE)',
  ic_net_mw: 'MW (positive = import)',
  ic_north_south_mw: 'MW (Inter-Jurisdictional Flow, positive = South to North)',
  wind_penetration: 'fraction',
  solar_penetration: 'fraction',
  oversupply_mw: 'MW',
  oversupply_fraction: 'fraction',
  snsp: 'fraction',
  co2_intensity: 'gCO2/kWh',
  co2_emissions: 'tCO2/h',
  demand_forecast_mw: 'MW',
  wind_forecast_mw: 'MW',
  solar_forecast_mw: 'MW',
  price_eur_mwh: 'EUR/MWh',
  price_gbp_mwh: 'GBP/MWh',
  dc_load_mw: 'MW (metered data-centre load)',
} as const;
export type SeriesName = keyof typeof SERIES;

/** One reading: the value over [tsUtc, tsUtc + intervalMin). `null` = published as missing. */
export interface Observation {
  series: SeriesName;
  region: Region;
  /** Start of the interval, UTC epoch ms. */
  tsUtc: number;
  intervalMin: number;
  value: number | null;
}

/** A range of hours (UTC epoch ms, [from, to)) noted by a parser. */
export interface TimeRange {
  from: number;
  to: number;
}

/** What a parser noticed, for the ingest quality report. Counts are per file. */
export interface ParseQuality {
  rowsRead: number;
  /** Rows dropped because an identical (timestamp, series, region) row came before. */
  duplicatesDropped: number;
  /** Rows dropped because they lie outside the file's own period (e.g. a month-boundary repeat). */
  outOfPeriodDropped: number;
  /** Local dates (YYYY-MM-DD) of clock changes seen in the file. */
  dstDays: string[];
  /** Spring-gap rows dropped (wall times that never happened). */
  dstGapRowsDropped: number;
  /** Empty / null values kept as missing. */
  emptyValues: number;
  /** Runs of identical values judged to be flat fills, turned into missing values. */
  flatFills: Array<TimeRange & { series: SeriesName; value: number; hours: number }>;
  /** Free-text notes (e.g. "timestamps shifted by -24 h"). */
  notes: string[];
}

export interface ParseResult<R = Observation> {
  source: SourceName;
  /** The file (or URL) read, as given. */
  file: string;
  records: R[];
  quality: ParseQuality;
}

/** A published data-centre electricity figure (CSO), one period. */
export interface CsoFigure {
  year: number;
  /** 1..4, or null for an annual figure. */
  quarter: number | null;
  metric:
    | 'data_centre_consumption'
    | 'data_centre_share_of_total_metered_electricity'
    | 'total_metered_electricity_consumption'
    | 'large_energy_users_consumption';
  /** GWh, or percent for the share. */
  value: number;
  unit: 'GWh' | 'percent';
  /** published, published_in_press, inferred_from_press, derived, secondary_unverified, or pxstat (MEC02). */
  status: string;
  sourceUrl: string;
  note: string;
}

export interface ParseOptions {
  /** Name used in error messages (defaults to the path). */
  displayName?: string;
}

export interface DownloadOptions {
  /** Where downloaded raw files are cached (DCGRID_HOME/cache/<source>). */
  cacheDir: string;
  /** Base URL override (tests point this at a local HTTP server). */
  baseUrl?: string;
  /** Inclusive start and exclusive end, UTC epoch ms. */
  from: number;
  to: number;
  regions?: Region[];
  timeoutMs?: number;
  retries?: number;
  /** Re-download files already in the cache. */
  refresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, label: string) => void;
}

/**
 * The shape every source shares: find its files in a raw folder, parse one, download new ones.
 * Each adapter's folder holds parse.ts, download.ts, index.ts (this object) and their tests.
 */
export interface SourceAdapter<R = Observation> {
  readonly name: SourceName;
  /** Files in `rawDir` this source reads, in a stable order. */
  discover(rawDir: string): Promise<string[]>;
  parse(file: string, options?: ParseOptions): Promise<ParseResult<R>>;
  /** Fetches raw files into the cache and returns their paths (ready for parse). */
  download(options: DownloadOptions): Promise<string[]>;
}

export function emptyQuality(): ParseQuality {
  return {
    rowsRead: 0,
    duplicatesDropped: 0,
    outOfPeriodDropped: 0,
    dstDays: [],
    dstGapRowsDropped: 0,
    emptyValues: 0,
    flatFills: [],
    notes: [],
  };
}
