/**
 * A backtest on the feature store: loads the target (and the columns the models' parameters name)
 * from dcgrid.features_hourly, runs the engine with the model catalog and stores the results.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { getModelFactory, modelInputColumns } from '../models/catalog.js';
import { loadHourlyFrame } from '../store/frames.js';
import type { Store } from '../store/store.js';
import { resolveBacktestConfig, type BacktestConfigInput } from './config.js';
import { runBacktest, type BacktestOptions, type BacktestResult } from './engine.js';
import { saveBacktest } from './store.js';

export interface StoredBacktestRun {
  result: BacktestResult;
  /** Rows written to dcgrid.backtest_metrics. */
  metricRows: number;
  /** Hours loaded from the store. */
  frameHours: number;
}

/** Columns a backtest reads: the target first, then every column the models read (their parameters or defaults). */
export function backtestColumns(
  target: string,
  params: Record<string, Record<string, unknown>>,
  models: readonly string[] = [],
): string[] {
  const columns = [target];
  const add = (list: string[]) => {
    for (const column of list) if (!columns.includes(column)) columns.push(column);
  };
  for (const [model, modelParams] of Object.entries(params)) add(modelInputColumns(modelParams, model));
  for (const model of models) add(modelInputColumns(params[model], model));
  return columns;
}

export async function backtestFromStore(
  store: Store,
  input: BacktestConfigInput,
  options: Omit<BacktestOptions, 'factory'> & { runId?: string | null } = {},
): Promise<StoredBacktestRun> {
  const config = resolveBacktestConfig(input);
  const origins = config.origins;
  // With an explicit range only the training window before it and the horizon after it are read.
  const range =
    'from' in origins
      ? { from: origins.from - config.trainHours * HOUR_MS, to: origins.to + config.horizon * HOUR_MS }
      : {};
  const frame = await loadHourlyFrame(store.db, {
    region: config.region,
    columns: backtestColumns(config.target, config.params, config.models),
    ...range,
  });
  if (frame.ts.length === 0) {
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `No hourly features for region ${config.region} in the store (${store.description}): run \`dcgrid ingest\` first.`,
    );
  }
  const result = await runBacktest(frame, config, { ...options, factory: getModelFactory });
  options.signal?.throwIfAborted();
  const metricRows = await saveBacktest(store, result, options.runId ?? null);
  return { result, metricRows, frameHours: frame.ts.length };
}
