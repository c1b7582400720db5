/**
 * Stress-event classifier backtest on the real data: the `xgbevent` classifier (binary:logistic,
 * calibrated) against the `eventclim` climatology baseline (event rate by local hour of day and
 * month of the training window), in the same run, on the same rolling daily origins over a year,
 * through the backtest engine (src/backtest). Prints the Brier score, ROC AUC, precision and recall
 * at STRESS_EVENT_ALERT_PROBABILITY, day-ahead (hours 1-24) and week-ahead (1-168), the Brier skill
 * score against climatology, and the classifier's reliability table.
 *
 *   createdb -h 127.0.0.1 events_bench
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/events_bench npx tsx src/cli/main.ts ingest --raw-dir ../shared/data/raw
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/events_bench npx tsx bench/stress-events.ts [year] [refit hours]
 *
 * The labels are read as stored: after a change of the STRESS_EVENT_* settings run
 * `dcgrid features rebuild-stress` first. The default year is 2023, the latest full year in which
 * every label is known (SNSP is published from 2021 to early 2024 in the shared data).
 */
import { runBacktest, SCOPES, type Scope } from '../src/backtest/engine.js';
import { backtestColumns } from '../src/backtest/run.js';
import { loadConfig } from '../src/config/config.js';
import { STRESS_EVENT_COLUMN } from '../src/features/stress-events.js';
import { HOUR_MS } from '../src/lib/time.js';
import { getModelFactory } from '../src/models/catalog.js';
import { loadHourlyFrame } from '../src/store/frames.js';
import { openStore } from '../src/store/open.js';

const config = loadConfig(process.env);
if (!config.DATABASE_URL) {
  console.error('set DATABASE_URL to a PostgreSQL database holding an ingest of ../shared/data/raw');
  process.exit(2);
}
const year = Number(process.argv[2] ?? 2023);
const refitEveryH = Number(process.argv[3] ?? 4 * 168);
/** Optional xgbevent parameters as JSON, e.g. '{"calibration":"none"}'. */
const xgbParams = JSON.parse(process.argv[4] ?? '{}') as Record<string, unknown>;
const region = config.REGION;
const horizon = 168;
const trainHours = 730 * 24;
const models = ['eventclim', 'xgbevent'];
const first = Date.UTC(year, 0, 1);
// The last origin leaves a full week of actuals inside the year.
const last = Date.UTC(year + 1, 0, 1) - horizon * HOUR_MS;

const store = await openStore(config);
try {
  const t0 = performance.now();
  const frame = await loadHourlyFrame(store.db, {
    region,
    columns: backtestColumns(STRESS_EVENT_COLUMN, {}, models),
    from: first - trainHours * HOUR_MS,
    to: last + horizon * HOUR_MS,
  });
  const readSeconds = (performance.now() - t0) / 1000;
  let known = 0;
  let events = 0;
  for (const v of frame.columns[STRESS_EVENT_COLUMN]!) {
    if (!Number.isNaN(v)) {
      known++;
      events += v;
    }
  }
  console.log(
    `${region} ${year}: daily origins at 00:00 UTC ${new Date(first).toISOString().slice(0, 10)} .. ` +
      `${new Date(last).toISOString().slice(0, 10)}, horizon ${horizon} h, refit every ${refitEveryH} h on the ` +
      `${trainHours / 24} days before; frame ${frame.ts.length} hours (${known} with a label, event rate ` +
      `${(events / known).toFixed(3)}) read in ${readSeconds.toFixed(1)} s; alert at P >= ${config.STRESS_EVENT_ALERT_PROBABILITY}; ` +
      `xgbevent parameters ${JSON.stringify(xgbParams)}`,
  );
  let lastLine = 0;
  const result = await runBacktest(
    frame,
    {
      region,
      target: STRESS_EVENT_COLUMN,
      models,
      horizon,
      origins: { from: first, to: last, everyH: 24 },
      refitEveryH,
      trainHours,
      validationHours: 1344,
      seed: config.SEED,
      alertProbability: config.STRESS_EVENT_ALERT_PROBABILITY,
      params: { xgbevent: xgbParams },
    },
    {
      factory: getModelFactory,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLine > 10_000) {
          lastLine = now;
          console.error(
            `  ${p.model}: ${p.phase} ${p.originsDone}/${p.originsTotal} origins, ${p.fits} fits`,
          );
        }
      },
    },
  );
  const byModel = Object.fromEntries(result.models.map((m) => [m.model, m]));
  const rows = [];
  for (const scope of Object.keys(SCOPES) as Scope[]) {
    const climate = byModel.eventclim!.events![scope].metrics;
    for (const model of models) {
      const entry = byModel[model]!;
      const m = entry.events![scope].metrics;
      rows.push({
        scope,
        model,
        hours: m.n,
        'event rate': Number(m.event_rate.toFixed(3)),
        'mean p': Number(m.mean_p.toFixed(3)),
        Brier: Number(m.brier.toFixed(4)),
        'Brier skill vs clim': Number((1 - m.brier / climate.brier).toFixed(3)),
        AUC: Number(m.auc.toFixed(3)),
        precision: Number(m.precision.toFixed(3)),
        recall: Number(m.recall.toFixed(3)),
        fits: entry.fits,
        'fit s': Number(entry.fitSeconds.toFixed(1)),
      });
    }
  }
  console.log(`${result.origins.length} origins, ${result.seconds.toFixed(0)} s in all`);
  console.table(rows);
  for (const scope of Object.keys(SCOPES) as Scope[]) {
    console.log(`xgbevent reliability, ${scope}:`);
    console.table(
      byModel
        .xgbevent!.events![scope].reliability.filter((b) => b.n > 0)
        .map((b) => ({
          bin: `${b.from.toFixed(1)}-${b.to.toFixed(1)}`,
          hours: b.n,
          'mean p': Number(b.meanProbability.toFixed(3)),
          'observed rate': Number(b.observedRate.toFixed(3)),
        })),
    );
  }
} finally {
  await store.close();
}
