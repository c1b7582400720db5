/** The ingest quality report: printed, stored in dcgrid.ingest_reports, shown by `dcgrid data report`. */
import type { FeatureQuality } from '../features/quality.js';
import type { ParseQuality, SourceName } from '../sources/types.js';
import type { SeriesReport } from './series-quality.js';

export type IngestMode = 'raw-dir' | 'demo' | 'download';

export interface FileReport {
  source: SourceName;
  file: string;
  records: number;
  quality: ParseQuality;
}

export interface IngestReport {
  mode: IngestMode;
  /** What the data are, in words (e.g. that the offline demo data are synthetic). */
  dataNote: string;
  rawDir: string | null;
  files: FileReport[];
  series: SeriesReport[];
  totals: {
    recordsParsed: number;
    duplicatesDropped: number;
    outOfPeriodDropped: number;
    dstGapRowsDropped: number;
    flatFillHours: number;
    outliers: number;
  };
  dstDays: string[];
  flatFills: Array<ParseQuality['flatFills'][number] & { source: SourceName }>;
  features: FeatureQuality[];
  cso: { figures: number; overriddenByPxstat: number };
  rowsWritten: { observations: number; features: number; csoFigures: number };
  /** Seconds per stage. */
  timings: Record<string, number>;
}

export function summariseFiles(
  files: readonly FileReport[],
): Pick<IngestReport, 'totals' | 'dstDays' | 'flatFills'> {
  const dstDays = new Set<string>();
  const flatFills: IngestReport['flatFills'] = [];
  const totals = {
    recordsParsed: 0,
    duplicatesDropped: 0,
    outOfPeriodDropped: 0,
    dstGapRowsDropped: 0,
    flatFillHours: 0,
    outliers: 0,
  };
  for (const file of files) {
    totals.recordsParsed += file.records;
    totals.duplicatesDropped += file.quality.duplicatesDropped;
    totals.outOfPeriodDropped += file.quality.outOfPeriodDropped;
    totals.dstGapRowsDropped += file.quality.dstGapRowsDropped;
    for (const day of file.quality.dstDays) dstDays.add(day);
    for (const fill of file.quality.flatFills) {
      flatFills.push({ ...fill, source: file.source });
      totals.flatFillHours += fill.hours;
    }
  }
  return { totals, dstDays: [...dstDays].sort(), flatFills };
}
