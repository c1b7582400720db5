/**
 * Decides what an ingest reads: a raw folder (`--raw-dir`, real files), fresh downloads
 * (`--download`, into DCGRID_HOME/cache), or, offline with neither, the project's synthetic demo
 * data in the real formats (and says so).
 */
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { mec02Url } from '../sources/cso/download.js';
import { figureKey } from '../sources/cso/figures.js';
import { DEMO_NOTE, ensureDemoRawDir } from '../sources/demo/generate.js';
import { emberDownloadUrl } from '../sources/ember/download.js';
import {
  csoSource,
  mergeCsoFigures,
  PUBLISHED_CSO_FIGURES,
  telemetrySource,
  TIME_SERIES_SOURCES,
} from '../sources/index.js';
import type { CsoFigure, DownloadOptions, SourceName } from '../sources/types.js';
import type { IngestInput, IngestRequest } from './ingest.js';
import type { IngestMode } from './report.js';

export interface PlanOptions {
  download?: boolean;
  /** Download range, UTC ms. */
  from?: number;
  to?: number;
  refresh?: boolean;
  telemetryFile?: string;
  signal?: AbortSignal;
  onDownload?: DownloadOptions['onProgress'];
}

export type IngestPlan = Omit<
  IngestRequest,
  'stressWeights' | 'stressAlertThreshold' | 'stressEvents' | 'signal' | 'onStage' | 'onStep'
>;

/**
 * The setting that points each downloaded source at another server (a mirror or proxy) instead
 * of its publisher; it is passed as the download's `baseUrl` (forms: docs/DATA.md).
 */
export const DOWNLOAD_URL_SETTINGS = {
  'eirgrid-workbook': 'EIRGRID_WORKBOOK_URL',
  dashboard: 'DASHBOARD_BASE_URL',
  semopx: 'SEMOPX_BASE_URL',
  ember: 'EMBER_URL',
  cso: 'CSO_BASE_URL',
} as const satisfies Partial<Record<SourceName, keyof Config>>;

type DownloadedSource = keyof typeof DOWNLOAD_URL_SETTINGS;

function isDownloadedSource(source: SourceName): source is DownloadedSource {
  return source in DOWNLOAD_URL_SETTINGS;
}

function baseUrlFor(config: Config, source: SourceName): string | undefined {
  return isDownloadedSource(source) ? config[DOWNLOAD_URL_SETTINGS[source]] : undefined;
}

/** The URL a source is fetched from when its setting is `baseUrl`: the file for single-file sources. */
function fetchedFrom(source: DownloadedSource, baseUrl: string): string {
  if (source === 'ember') return emberDownloadUrl(baseUrl);
  if (source === 'cso') return mec02Url(baseUrl);
  return baseUrl;
}

/** What a download ingest reads, in words: the range, the cache and every URL a setting overrides. */
export function downloadNote(config: Config, from: number, to: number): string {
  const range = `${new Date(from).toISOString().slice(0, 10)} to ${new Date(to).toISOString().slice(0, 10)}`;
  const cache = `(cache: ${join(config.home, 'cache')})`;
  const sources = Object.keys(DOWNLOAD_URL_SETTINGS) as DownloadedSource[];
  const overridden = sources.flatMap((source) => {
    const baseUrl = baseUrlFor(config, source);
    if (baseUrl === undefined) return [];
    return [`${source} from ${fetchedFrom(source, baseUrl)} (${DOWNLOAD_URL_SETTINGS[source]})`];
  });
  if (overridden.length === 0) return `downloaded from the publishers ${range} ${cache}`;
  const which =
    overridden.length === sources.length ? 'not from the publishers' : 'from the publishers except';
  return `downloaded ${range} ${cache}, ${which}: ${overridden.join(', ')}`;
}

export async function planIngest(config: Config, options: PlanOptions = {}): Promise<IngestPlan> {
  let mode: IngestMode;
  let rawDir: string | null = null;
  let dataNote: string;
  const inputs: IngestInput[] = [];
  let csoFiles: string[] = [];
  if (options.download) {
    mode = 'download';
    const to = options.to ?? Date.now();
    const from = options.from ?? to - 14 * 86_400_000;
    dataNote = downloadNote(config, from, to);
    for (const adapter of TIME_SERIES_SOURCES) {
      const files = await adapter.download(downloadOptions(config, adapter.name, from, to, options));
      inputs.push({ adapter, files });
    }
    csoFiles = await csoSource.download(downloadOptions(config, 'cso', from, to, options));
  } else {
    if (config.DCGRID_RAW_DIR !== undefined) {
      mode = 'raw-dir';
      rawDir = resolve(config.DCGRID_RAW_DIR);
      dataNote = `raw files in ${rawDir}`;
    } else {
      mode = 'demo';
      rawDir = await ensureDemoRawDir(config.home);
      dataNote = DEMO_NOTE;
    }
    for (const adapter of TIME_SERIES_SOURCES)
      inputs.push({ adapter, files: await adapter.discover(rawDir) });
    csoFiles = await csoSource.discover(rawDir);
  }
  if (options.telemetryFile !== undefined) {
    inputs.push({ adapter: telemetrySource, files: [resolve(options.telemetryFile)] });
    dataNote += `; data-centre telemetry from ${options.telemetryFile} replaces the proxy where it has values`;
  }
  const extra: CsoFigure[] = [];
  for (const file of csoFiles) extra.push(...(await csoSource.parse(file)).records);
  const cso = mergeCsoFigures(PUBLISHED_CSO_FIGURES, extra);
  return {
    mode,
    rawDir,
    dataNote,
    inputs,
    cso: {
      figures: cso.figures,
      overriddenByPxstat: cso.overriddenByPxstat,
      fromFiles: extra.map(figureKey),
    },
  };
}

function downloadOptions(
  config: Config,
  source: SourceName,
  from: number,
  to: number,
  options: PlanOptions,
): DownloadOptions {
  const baseUrl = baseUrlFor(config, source);
  return {
    cacheDir: join(config.home, 'cache', source),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    from,
    to,
    timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
    retries: config.DOWNLOAD_RETRIES,
    ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onDownload !== undefined ? { onProgress: options.onDownload } : {}),
  };
}
