/**
 * One ingest: parse every input file, merge each source's files, then in ONE transaction upsert
 * the observations, rebuild the hourly features of every region, upsert them and the CSO figures,
 * and store the quality report. An error anywhere leaves the previous state intact (and a
 * 'failed' report row); running the same ingest twice writes nothing the second time.
 */
import { resolve } from 'node:path';
import type { Config, Region } from '../config/config.js';
import { REGIONS } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { stressEventSettings, type StressEventSettings } from '../features/stress-events.js';
import { buildFeatures } from '../features/build.js';
import type { CsoFigure, Observation, ParseResult, SourceAdapter } from '../sources/types.js';
import {
  connectionLostError,
  isConnectionLost,
  lossReason,
  retryWhileDisconnected,
  withNote,
} from '../store/connection-loss.js';
import type { Store } from '../store/store.js';
import { lockForIngest } from './bulk-load.js';
import { readCsoFigures, settleCsoFigures, writeCsoFigures } from './cso-store.js';
import { FEATURES_HOURLY, writeFeatures } from './features-store.js';
import { mergeParseResults } from './merge.js';
import { refuseMixedData } from './dataset-kind.js';
import { planIngest, type IngestPlan, type PlanOptions } from './plan.js';
import { diffAgainstStored } from './observations-diff.js';
import { isEmpty, OBSERVATIONS, readObservations, writeObservations } from './observations-store.js';
import { summariseFiles, type FileReport, type IngestMode, type IngestReport } from './report.js';
import { describeMergedSeries } from './series-quality.js';

export interface IngestInput {
  adapter: SourceAdapter<Observation>;
  files: string[];
}

export interface IngestRequest {
  mode: IngestMode;
  dataNote: string;
  rawDir: string | null;
  inputs: IngestInput[];
  /**
   * CSO figures to store and to build the data-centre proxy from (published merged with MEC02);
   * `fromFiles` holds the keys (`figureKey`) of those read from a CSO file in this ingest. Stored
   * figures stay unless one of these supersedes them (`settleCsoFigures`).
   */
  cso: { figures: CsoFigure[]; overriddenByPxstat: number; fromFiles?: readonly string[] };
  stressWeights: Config['STRESS_WEIGHTS'];
  /** STRESS_ALERT_THRESHOLD: the stored stress_band is placed around it. */
  stressAlertThreshold: Config['STRESS_ALERT_THRESHOLD'];
  /** Stress-event label settings (default: the settings' defaults). */
  stressEvents?: StressEventSettings;
  signal?: AbortSignal;
  /** Progress: a stage starts (with how many steps it has), or one step of it is done. */
  onStage?: (stage: IngestStage, total: number) => void;
  onStep?: (stage: IngestStage, label: string) => void;
}

export type IngestStage = 'parse' | 'merge' | 'observations' | 'features' | 'report';

export interface IngestResult {
  reportId: number;
  report: IngestReport;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new DcgridError(ErrorCodes.INTERRUPTED, 'ingest interrupted: nothing was written');
}

export async function runIngest(store: Store, request: IngestRequest): Promise<IngestResult> {
  const started = new Date();
  const timings: Record<string, number> = {};
  const since = (stage: string, t0: number) => {
    timings[stage] = Number(((performance.now() - t0) / 1000).toFixed(3));
  };
  const time = async <T>(stage: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      since(stage, t0);
    }
  };
  const { signal, onStage, onStep } = request;
  try {
    const totalFiles = request.inputs.reduce((n, input) => n + input.files.length, 0);
    if (totalFiles === 0) {
      throw new DcgridError(
        ErrorCodes.INPUT_EMPTY,
        `no input files found${request.rawDir ? ` in ${request.rawDir}` : ''}: expected folders such as ` +
          'eirgrid-smartgriddashboard/, eirgrid-system-data-qtr-hourly/, ember/, semopx/ (see docs/DATA.md)',
      );
    }
    onStage?.('parse', totalFiles);
    const parsed = await time('parse', async () => {
      const results: ParseResult<Observation>[] = [];
      for (const input of request.inputs) {
        for (const file of input.files) {
          checkAborted(signal);
          results.push(await input.adapter.parse(file));
          onStep?.('parse', file);
        }
      }
      return results;
    });
    checkAborted(signal);

    onStage?.('merge', 1);
    const merged = await time('merge', () => mergeParseResults(parsed));
    onStep?.('merge', `${merged.series.length} series`);
    const files: FileReport[] = parsed.map((r) => ({
      source: r.source,
      file: r.file,
      records: r.records.length,
      quality: r.quality,
    }));
    const series = merged.series.map(describeMergedSeries);
    checkAborted(signal);

    const written = await store.transaction(async (tx) => {
      onStage?.('observations', 1);
      await lockForIngest(tx, [OBSERVATIONS.table, FEATURES_HOURLY.table]);
      const fresh = await isEmpty(tx.db, 'dcgrid.observations');
      const featuresEmpty = await isEmpty(tx.db, 'dcgrid.features_hourly');
      // The features are rebuilt from everything stored, so an incremental ingest sees earlier data;
      // what is stored is read once, and only readings that are new or differ are written.
      const { changes, all } = fresh
        ? { changes: merged.series, all: merged.series }
        : diffAgainstStored(merged.series, await time('read_observations', () => readObservations(tx)));
      const cso = settleCsoFigures(
        await readCsoFigures(tx),
        request.cso.figures,
        new Set(request.cso.fromFiles ?? []),
      );
      const regions = REGIONS.filter((region) => all.some((s) => s.region === region || region === 'ALL'));
      const built = new Map<Region, ReturnType<typeof buildFeatures>>();
      const buildAll = () => {
        for (const region of regions) {
          checkAborted(signal);
          const t0 = performance.now();
          built.set(
            region,
            buildFeatures({
              region,
              series: all,
              cso,
              stressWeights: request.stressWeights,
              stressAlertThreshold: request.stressAlertThreshold,
              ...(request.stressEvents ? { stressEvents: request.stressEvents } : {}),
            }),
          );
          since(`build_features_${region}`, t0);
        }
      };
      // A first ingest builds the features while the server builds the observations' key.
      const observations = await time('write_observations', () =>
        writeObservations(tx, changes, { tableEmpty: fresh, whileKeyBuilds: buildAll }),
      );
      onStep?.('observations', `${observations} rows`);
      checkAborted(signal);
      if (built.size === 0) buildAll();

      onStage?.('features', regions.length);
      const featureQuality = [];
      let features = 0;
      for (const region of regions) {
        checkAborted(signal);
        const { rows, quality } = built.get(region)!;
        features += await time(`write_features_${region}`, () =>
          writeFeatures(tx, rows, { tableEmpty: featuresEmpty }),
        );
        featureQuality.push(quality);
        onStep?.('features', `${region}: ${rows.length} hours`);
      }
      const csoFigures = await time('write_cso', () => writeCsoFigures(tx, cso));
      checkAborted(signal);
      return { observations, features, csoFigures, featureQuality, csoCount: cso.length };
    });

    onStage?.('report', 1);
    const report: IngestReport = {
      mode: request.mode,
      dataNote: request.dataNote,
      rawDir: request.rawDir,
      files,
      series,
      ...summariseFiles(files),
      features: written.featureQuality,
      cso: { figures: written.csoCount, overriddenByPxstat: request.cso.overriddenByPxstat },
      rowsWritten: {
        observations: written.observations,
        features: written.features,
        csoFigures: written.csoFigures,
      },
      timings,
    };
    report.totals.duplicatesDropped += merged.stats.crossFileDuplicatesDropped;
    report.totals.outliers = series.reduce((n, s) => n + s.outliers, 0);
    const reportId = await saveReport(store, started, 'succeeded', request, report, null);
    onStep?.('report', `report ${reportId}`);
    return { reportId, report };
  } catch (error) {
    throw await recordFailure(store, started, request, { timings }, error);
  }
}

/**
 * Plans an ingest (finds, downloads or generates its files) and runs it. A failure while planning
 * (an unreachable URL, say) is stored as a 'failed' report too, like one during the ingest.
 */
export async function planAndRunIngest(
  store: Store,
  config: Config,
  planOptions: PlanOptions,
  run: Pick<IngestRequest, 'signal' | 'onStage' | 'onStep'>,
  onPlanned?: (plan: IngestPlan) => void,
): Promise<IngestResult & { plan: IngestPlan }> {
  const started = new Date();
  const mode: IngestMode = planOptions.download
    ? 'download'
    : config.DCGRID_RAW_DIR !== undefined
      ? 'raw-dir'
      : 'demo';
  // Before any file is generated, downloaded or read.
  await refuseMixedData(store, config, mode);
  let plan: IngestPlan;
  try {
    plan = await planIngest(config, { ...planOptions, ...(run.signal ? { signal: run.signal } : {}) });
  } catch (error) {
    const rawDir = mode === 'raw-dir' ? resolve(config.DCGRID_RAW_DIR!) : null;
    throw await recordFailure(store, started, { mode, rawDir }, { timings: {} }, error);
  }
  onPlanned?.(plan);
  const result = await runIngest(store, {
    ...plan,
    ...run,
    stressWeights: config.STRESS_WEIGHTS,
    stressAlertThreshold: config.STRESS_ALERT_THRESHOLD,
    stressEvents: stressEventSettings(config),
  });
  return { ...result, plan };
}

/**
 * Stores the 'failed' report and returns the error to throw. After a lost connection the report
 * is retried until the server is back (briefly), and the one-line message says whether it was
 * stored; other failures keep their error as it is.
 */
async function recordFailure(
  store: Store,
  started: Date,
  request: Pick<IngestRequest, 'mode' | 'rawDir'>,
  report: { timings: Record<string, number> },
  error: unknown,
): Promise<unknown> {
  if (!isConnectionLost(error)) {
    await saveReport(store, started, 'failed', request, report, error).catch(() => undefined);
    return error;
  }
  const lost = connectionLostError(store.description, error, 'the ingest');
  try {
    const id = await retryWhileDisconnected(() =>
      saveReport(store, started, 'failed', request, report, lost),
    );
    return withNote(lost, `failed ingest report ${id} recorded`);
  } catch (problem) {
    return withNote(lost, `the failed ingest report could not be recorded (${lossReason(problem)})`);
  }
}

async function saveReport(
  store: Store,
  started: Date,
  status: 'succeeded' | 'failed',
  request: Pick<IngestRequest, 'mode' | 'rawDir'>,
  report: IngestReport | { timings: Record<string, number> },
  error: unknown,
): Promise<number> {
  const rowsWritten =
    'rowsWritten' in report
      ? report.rowsWritten.observations + report.rowsWritten.features + report.rowsWritten.csoFigures
      : 0;
  const row = await store.db
    .insertInto('dcgrid.ingest_reports')
    .values({
      started_at: started,
      finished_at: new Date(),
      status,
      mode: request.mode,
      raw_dir: request.rawDir,
      region: 'ALL',
      rows_written: rowsWritten,
      report: JSON.stringify(report),
      error: error === null ? null : error instanceof Error ? error.message : String(error),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
