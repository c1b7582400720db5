/**
 * Decides what an ingest reads: a raw folder (`--raw-dir`, real files), fresh downloads
 * (`--download`, into DCGRID_HOME/cache), or, offline with neither, the project's synthetic demo
 * data in the real formats (and says so).
 */
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { DEMO_NOTE, ensureDemoRawDir } from '../sources/demo/generate.js';
import {
  csoSource,
  mergeCsoFigures,
  PUBLISHED_CSO_FIGURES,
  telemetrySource,
  TIME_SERIES_SOURCES,
} from '../sources/index.js';
import type { CsoFigure, DownloadOptions } from '../sources/types.js';
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

export type IngestPlan = Omit<IngestRequest, 'stressWeights' | 'signal' | 'onStage' | 'onStep'>;

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
    dataNote = `downloaded from the publishers ${new Date(from).toISOString().slice(0, 10)} to ${new Date(to).toISOString().slice(0, 10)} (cache: ${join(config.home, 'cache')})`;
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
    cso: { figures: cso.figures, overriddenByPxstat: cso.overriddenByPxstat },
  };
}

function downloadOptions(
  config: Config,
  source: string,
  from: number,
  to: number,
  options: PlanOptions,
): DownloadOptions {
  return {
    cacheDir: join(config.home, 'cache', source),
    from,
    to,
    timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
    retries: config.DOWNLOAD_RETRIES,
    ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onDownload !== undefined ? { onProgress: options.onDownload } : {}),
  };
}
