/**
 * Backtest on the real data: demand_mw in IE, daily 00:00 UTC origins over the last 8 weeks with a
 * week of actuals after them, 168 h ahead, every model in the catalog (or --models). Prints MAE,
 * MAPE and MASE day-ahead and week-ahead per model, and each model's day-ahead MASE improvement
 * over the named baseline snaive168 (the bar: xgb and tft at least 30 % better). The
 * backtest is stored like any other (dcgrid.backtests).
 *
 * The feature store comes from the settings: DATABASE_URL, or the embedded database under
 * DCGRID_HOME. Exits 2 with instructions when it holds no IE demand.
 *
 *   npx tsx bench/backtest.ts [--weeks 8] [--models snaive168,xgb] [--params '{"tft":{"maxEpochs":5}}']
 */
import { parseArgs } from 'node:util';
import { backtestFromStore } from '../src/backtest/run.js';
import type { BacktestProgress } from '../src/backtest/engine.js';
import { loadConfig } from '../src/config/config.js';
import { renderTable, type Cell } from '../src/cli/output.js';
import { MODEL_NAMES } from '../src/models/catalog.js';
import { openStore } from '../src/store/open.js';
import { summaryCells } from './backtest-summary.js';

const BASELINE = 'snaive168';
const BAR = 0.3;
const MUST_PASS = ['xgb', 'tft'];

const { values: args } = parseArgs({
  options: {
    weeks: { type: 'string', default: '8' },
    models: { type: 'string' },
    params: { type: 'string' },
    'train-days': { type: 'string', default: '730' },
    'refit-every-h': { type: 'string', default: '168' },
  },
});

const config = loadConfig();
const store = await openStore(config, { owner: 'bench/backtest' });
try {
  const row = await store.db
    .selectFrom('dcgrid.features_hourly')
    .select((eb) => [
      eb.fn.countAll().as('hours'),
      eb.fn.min('ts_utc').as('first'),
      eb.fn.max('ts_utc').as('last'),
    ])
    .where('region', '=', 'IE')
    .where('demand_mw', 'is not', null)
    .executeTakeFirstOrThrow();
  if (Number(row.hours) === 0) {
    process.stderr.write(
      `No IE demand in ${store.description}.\n` +
        'Ingest the raw data first, e.g.:\n  dcgrid ingest --raw-dir ../shared/data/raw\n' +
        'then run this again with the same DATABASE_URL / DCGRID_HOME.\n',
    );
    process.exitCode = 2;
  } else {
    const models = args.models?.split(',').map((m) => m.trim()) ?? [...MODEL_NAMES];
    if (!models.includes(BASELINE)) models.unshift(BASELINE);
    process.stderr.write(
      `${store.description}: ${row.hours} hours of IE demand, ${new Date(row.first as Date).toISOString()} .. ` +
        `${new Date(row.last as Date).toISOString()}\nbacktesting ${models.join(', ')} over ${args.weeks} weeks\n`,
    );
    const started = new Map<string, number>();
    const onProgress = (p: BacktestProgress) => {
      if (!started.has(p.model)) started.set(p.model, performance.now());
      if (p.phase === 'forecast' && p.originsDone === p.originsTotal) {
        const seconds = (performance.now() - started.get(p.model)!) / 1000;
        process.stderr.write(
          `  ${p.model}: ${p.originsTotal} origins, ${p.fits} fits, ${seconds.toFixed(1)} s\n`,
        );
      }
    };
    const { result } = await backtestFromStore(
      store,
      {
        region: 'IE',
        target: 'demand_mw',
        models,
        horizon: 168,
        origins: { weeks: Number(args.weeks), originHour: 0, everyH: 24 },
        refitEveryH: Number(args['refit-every-h']),
        trainHours: Number(args['train-days']) * 24,
        contextLength: config.CONTEXT_LENGTH_H,
        params: args.params ? (JSON.parse(args.params) as Record<string, Record<string, unknown>>) : {},
      },
      { onProgress },
    );
    const rows: Array<Record<string, Cell>> = result.models.map((m) => {
      const { cells, gain } = summaryCells(result, m, BASELINE);
      return {
        ...cells,
        'bar >= 30 %': MUST_PASS.includes(m.model) ? (gain >= BAR ? 'pass' : 'FAIL') : '',
        'fit s': m.fitSeconds,
        'forecast s': m.forecastSeconds,
      };
    });
    process.stdout.write(
      `backtest ${result.backtestId}: ${result.origins.length} origins ${new Date(result.origins[0]!).toISOString()} .. ` +
        `${new Date(result.origins.at(-1)!).toISOString()}, refit every ${result.config.refitEveryH} h, ` +
        `${(result.config.trainHours / 24).toFixed(0)}-day training windows, ${result.seconds.toFixed(0)} s\n` +
        'DA = day-ahead (hours 1-24), WA = week-ahead (hours 1-168); MASE scale: in-sample MAE of snaive168 ' +
        'on the training window before each origin\n\n' +
        `${renderTable(rows)}\n`,
    );
  }
} finally {
  await store.close();
}
