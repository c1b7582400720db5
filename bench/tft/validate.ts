/**
 * TFT tuning backtest on a chosen window of origins (normally a validation window before the test
 * weeks of bench/backtest.ts): snaive168 and one or more TFT variants (named parameter sets)
 * through the same engine, fit once before the first origin, the same metrics and table columns as
 * bench/backtest.ts. Nothing is stored. The frame comes from the feature store (DATABASE_URL or
 * DCGRID_HOME) or from a JSON cache that a first run writes (--frame-cache), so that tuning runs
 * need no database.
 *
 *   npx tsx bench/tft/validate.ts --from 2022-12-20T00:00Z --to 2023-02-13T00:00Z \
 *     [--variants '{"base":{},"lr":{"learningRate":0.001}}'] [--train-days 730] [--validation-h 672] \
 *     [--frame-cache /tmp/ie-demand.json] [--also xgb]
 *
 * Besides the pooled table it prints day-ahead MASE per week of origins (which weeks a variant wins
 * or loses). --also adds catalog models (e.g. xgb) for reference; --per-origin FILE writes each
 * origin's day-ahead MASE per model as CSV.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBacktest, type BacktestProgress } from '../../src/backtest/engine.js';
import { renderTable, type Cell } from '../../src/cli/output.js';
import { seasonalNaiveScale } from '../../src/backtest/metrics.js';
import { loadConfig } from '../../src/config/config.js';
import { HOUR_MS } from '../../src/lib/time.js';
import { snaive168Factory } from '../../src/models/snaive/index.js';
import { tftFactory } from '../../src/models/tft/index.js';
import type { Forecast, HourlyFrame, ModelFactory } from '../../src/models/types.js';
import { summaryCells } from '../backtest-summary.js';

const BASELINE = 'snaive168';
const TARGET = 'demand_mw';
const HORIZON = 168;

const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    variants: { type: 'string', default: '{"tft":{}}' },
    'train-days': { type: 'string', default: '730' },
    'validation-h': { type: 'string', default: '672' },
    'frame-cache': { type: 'string' },
    seed: { type: 'string', default: '42' },
    also: { type: 'string' },
    'per-origin': { type: 'string' },
  },
});
if (args.from === undefined || args.to === undefined) {
  process.stderr.write('--from and --to (first and last origin, ISO UTC) are required\n');
  process.exit(2);
}
const from = Date.parse(args.from);
const to = Date.parse(args.to);
const trainHours = Number(args['train-days']) * 24;
const variants = JSON.parse(args.variants) as Record<string, Record<string, unknown>>;

interface CachedFrame {
  ts: number[];
  values: Array<number | null>;
}

async function loadFrame(): Promise<HourlyFrame> {
  const cache = args['frame-cache'];
  if (cache !== undefined && existsSync(cache)) {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as CachedFrame;
    return {
      ts: Float64Array.from(cached.ts),
      columns: { [TARGET]: Float64Array.from(cached.values, (v) => v ?? Number.NaN) },
    };
  }
  const [{ openStore }, { loadHourlyFrame }] = await Promise.all([
    import('../../src/store/open.js'),
    import('../../src/store/frames.js'),
  ]);
  const store = await openStore(loadConfig(), { owner: 'bench/tft/validate' });
  try {
    const frame = await loadHourlyFrame(store.db, { region: 'IE', columns: [TARGET] });
    if (cache !== undefined) {
      const values = Array.from(frame.columns[TARGET]!, (v) => (Number.isFinite(v) ? v : null));
      writeFileSync(cache, JSON.stringify({ ts: Array.from(frame.ts), values } satisfies CachedFrame));
    }
    return frame;
  } finally {
    await store.close();
  }
}

/** The rows backtest/run.ts would read for an explicit origin range: training window to last horizon. */
function sliceForRange(frame: HourlyFrame): HourlyFrame {
  const first = frame.ts[0]!;
  const lo = Math.max(0, Math.round((from - trainHours * HOUR_MS - first) / HOUR_MS));
  const hi = Math.min(frame.ts.length, Math.round((to + HORIZON * HOUR_MS - first) / HOUR_MS));
  return {
    ts: frame.ts.slice(lo, hi),
    columns: Object.fromEntries(Object.entries(frame.columns).map(([k, v]) => [k, v.slice(lo, hi)])),
  };
}

/** Day-ahead P50 forecasts by model, in origin order. */
const recorded = new Map<string, Forecast[]>();

/** The factory under another name, its forecasts recorded for the weekly breakdown. */
function recording(base: ModelFactory, name: string): ModelFactory {
  return {
    name,
    load: base.load,
    create: () => {
      const model = base.create();
      const forecast = model.forecast.bind(model);
      model.forecast = async (history, options) => {
        const result = await forecast(history, options);
        recorded.set(name, [...(recorded.get(name) ?? []), result]);
        return result;
      };
      return model;
    },
  };
}

const also = args.also?.split(',').map((m) => m.trim()) ?? [];
const catalogFactory =
  also.length > 0 ? (await import('../../src/models/catalog.js')).getModelFactory : undefined;
const factoryFor = (name: string): ModelFactory => {
  if (name === BASELINE) return recording(snaive168Factory, name);
  if (also.includes(name)) return recording(catalogFactory!(name), name);
  return recording(tftFactory, name);
};

const frame = sliceForRange(await loadFrame());
const models = [BASELINE, ...also, ...Object.keys(variants)];
const lastEpoch = new Map<string, Record<string, number>>();
const onProgress = (p: BacktestProgress) => {
  if (p.phase === 'fit' && p.training) {
    lastEpoch.set(p.model, { epoch: p.training.step, ...p.training.metrics });
    process.stderr.write(
      `  ${p.model} epoch ${p.training.step}: ${JSON.stringify(p.training.metrics)} (${new Date().toISOString()})\n`,
    );
  }
};
process.stderr.write(
  `origins ${new Date(from).toISOString()} .. ${new Date(to).toISOString()}, ${frame.ts.length} hours read, ` +
    `variants ${JSON.stringify(variants)}\n`,
);
const result = await runBacktest(
  frame,
  {
    region: 'IE',
    target: TARGET,
    models,
    horizon: HORIZON,
    origins: { from, to, everyH: 24 },
    refitEveryH: 0,
    trainHours,
    validationHours: Number(args['validation-h']),
    seed: Number(args.seed),
    params: variants,
  },
  { factory: factoryFor, onProgress },
);
const rows: Array<Record<string, Cell>> = result.models.map((m) => ({
  ...summaryCells(result, m, BASELINE).cells,
  epochs: m.model in variants ? lastEpoch.get(m.model)?.epoch : '',
  'fit s': m.fitSeconds,
  'forecast s': m.forecastSeconds,
}));
process.stdout.write(
  `validation backtest: ${result.origins.length} origins ${new Date(result.origins[0]!).toISOString()} .. ` +
    `${new Date(result.origins.at(-1)!).toISOString()}, fit once, ${trainHours / 24}-day training window, ` +
    `${result.seconds.toFixed(0)} s\n${JSON.stringify(variants)}\n\n${renderTable(rows)}\n`,
);

// Day-ahead MASE per week of origins, from the recorded P50 forecasts (same scale as the engine's).
const y = frame.columns[TARGET]!;
const first = frame.ts[0]!;
const weekly: Array<Record<string, Cell>> = models.map((model) => {
  const sums: number[] = [];
  const counts: number[] = [];
  (recorded.get(model) ?? []).forEach((forecast, j) => {
    const row = Math.round((forecast.origin - first) / HOUR_MS);
    const scale = seasonalNaiveScale(y.subarray(Math.max(0, row - trainHours), row), 168);
    const p50 = forecast.values[forecast.quantiles.indexOf(0.5)]!;
    const week = Math.floor(j / 7);
    for (let h = 0; h < 24; h++) {
      const error = Math.abs(y[row + h]! - p50[h]!);
      if (Number.isNaN(error)) continue;
      sums[week] = (sums[week] ?? 0) + error / scale;
      counts[week] = (counts[week] ?? 0) + 1;
    }
  });
  const row: Record<string, Cell> = { model };
  sums.forEach((sum, week) => {
    const start = new Date(result.origins[week * 7]!).toISOString().slice(5, 10);
    row[`wk ${start}`] = sum / counts[week]!;
  });
  return row;
});
process.stdout.write(`\nday-ahead MASE by week of origins\n${renderTable(weekly)}\n`);

const perOrigin = args['per-origin'];
if (perOrigin !== undefined) {
  const lines = [['origin', ...models].join(',')];
  result.origins.forEach((origin, j) => {
    const row = Math.round((origin - first) / HOUR_MS);
    const scale = seasonalNaiveScale(y.subarray(Math.max(0, row - trainHours), row), 168);
    const cells = models.map((model) => {
      const forecast = recorded.get(model)?.[j];
      if (forecast === undefined) return '';
      const p50 = forecast.values[forecast.quantiles.indexOf(0.5)]!;
      let sum = 0;
      let count = 0;
      for (let h = 0; h < 24; h++) {
        const error = Math.abs(y[row + h]! - p50[h]!);
        if (Number.isNaN(error)) continue;
        sum += error / scale;
        count++;
      }
      return (sum / count).toFixed(3);
    });
    lines.push([new Date(origin).toISOString().slice(0, 10), ...cells].join(','));
  });
  writeFileSync(perOrigin, `${lines.join('\n')}\n`);
}
