/**
 * The year-long protocol (issue 10): demand_mw in IE, origins every day at 00:00 UTC from
 * 2023-03-01 to 2023-12-24 (299), 168 h ahead, every model fitted ONCE on data before the first
 * origin (the last VALIDATION_HOURS of it may be validation), each forecast from the history before
 * its origin. MASE is scaled by the in-sample seasonal naive (168 h) MAE of the training period.
 * Per model: day-ahead (h 1-24) and week-ahead (h 1-168) MAE, MAPE, MASE, P10-P90 coverage and
 * bias (mean P50 - actual), and MAE per horizon day. In the same run, the baseline named in the
 * table: a plain Python XGBoost (bench/year/reference_xgb.py, Debian's python3-xgboost) scored on
 * the same points.
 *
 *   DATABASE_URL=... npx tsx bench/year.ts [--models snaive168,mstl,xgb,tft,ensemble]
 *     [--from 2023-03-01T00:00Z] [--to 2023-12-24T00:00Z] [--every-h 24] [--train-days 3650]
 *     [--params '{"tft":{"maxEpochs":5}}'] [--export forecasts.csv] [--no-reference]
 *
 * Reduced runs (fewer origins with --every-h, fewer models) print what they left out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBacktest, type ScoredForecast } from '../src/backtest/engine.js';
import { ForecastExport } from '../src/backtest/export.js';
import { loadConfig } from '../src/config/config.js';
import { renderTable, type Cell } from '../src/cli/output.js';
import { HOUR_MS } from '../src/lib/time.js';
import { getModelFactory, modelInputColumns } from '../src/models/catalog.js';
import { quantileRow } from '../src/models/harness.js';
import { loadHourlyFrame } from '../src/store/frames.js';
import { openStore } from '../src/store/open.js';

const REFERENCE = 'python-xgb';
const HORIZON = 168;

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'snaive168,mstl,prophet,xgb,tft,ensemble' },
    from: { type: 'string', default: '2023-03-01T00:00Z' },
    to: { type: 'string', default: '2023-12-24T00:00Z' },
    'every-h': { type: 'string', default: '24' },
    'train-days': { type: 'string' },
    target: { type: 'string', default: 'demand_mw' },
    params: { type: 'string', default: '{}' },
    export: { type: 'string' },
    'no-reference': { type: 'boolean', default: false },
    'reference-years': { type: 'string', default: '6' },
  },
});

const config = loadConfig();
const from = Date.parse(args.from);
const to = Date.parse(args.to);
const everyH = Number(args['every-h']);
const trainDays = Number(args['train-days'] ?? config.TRAIN_DAYS);
const models = args.models.split(',').map((m) => m.trim());
const params = JSON.parse(args.params) as Record<string, Record<string, unknown>>;
const target = args.target;

/** Pooled scores of one model on the protocol's points. */
class Score {
  readonly days = Array.from({ length: 7 }, () => ({ sum: 0, n: 0 }));
  readonly scopes = {
    day: { abs: 0, ape: 0, bias: 0, inside: 0, intervals: 0, n: 0 },
    week: { abs: 0, ape: 0, bias: 0, inside: 0, intervals: 0, n: 0 },
  };
  seconds = 0;

  add(h: number, actual: number, p10: number, p50: number, p90: number): void {
    if (!Number.isFinite(actual) || !Number.isFinite(p50)) return;
    const error = p50 - actual;
    const day = this.days[Math.floor((h - 1) / 24)]!;
    day.sum += Math.abs(error);
    day.n++;
    for (const scope of h <= 24 ? [this.scopes.day, this.scopes.week] : [this.scopes.week]) {
      scope.abs += Math.abs(error);
      scope.ape += actual !== 0 ? Math.abs(error / actual) : 0;
      scope.bias += error;
      scope.n++;
      if (Number.isFinite(p10) && Number.isFinite(p90)) {
        scope.intervals++;
        if (actual >= p10 && actual <= p90) scope.inside++;
      }
    }
  }
}

const config0 = { scale: Number.NaN };
const scores = new Map<string, Score>();

const store = await openStore(config, { owner: 'bench/year' });
const tmp = mkdtempSync(join(tmpdir(), 'dcgrid-year-'));
try {
  const trainHours = trainDays * 24;
  const columns = [target];
  for (const model of models) {
    for (const c of modelInputColumns(params[model])) if (!columns.includes(c)) columns.push(c);
  }
  const frame = await loadHourlyFrame(store.db, {
    region: 'IE',
    columns,
    to: to + HORIZON * HOUR_MS,
  });
  if (frame.ts.length === 0 || frame.ts[0]! > from - 2 * 168 * HOUR_MS) {
    process.stderr.write(
      `No IE ${target} before ${args.from} in ${store.description}: ingest first ` +
        '(dcgrid ingest --raw-dir ../shared/data/raw).\n',
    );
    process.exit(2);
  }
  const y = frame.columns[target]!;
  const originRow = (t: number) => Math.round((t - frame.ts[0]!) / HOUR_MS);
  // MASE scale: in-sample seasonal naive (168 h) MAE over the training period before the first origin.
  {
    const end = originRow(from);
    let sum = 0;
    let n = 0;
    for (let i = Math.max(168, end - trainHours); i < end; i++) {
      const e = Math.abs(y[i]! - y[i - 168]!);
      if (Number.isFinite(e)) {
        sum += e;
        n++;
      }
    }
    config0.scale = sum / n;
  }
  const originCount = Math.floor((to - from) / (everyH * HOUR_MS)) + 1;
  process.stderr.write(
    `${store.description}: ${target} IE, ${originCount} origins ${args.from} .. ${args.to} every ${everyH} h, ` +
      `fit once on ${trainDays} days before the first origin; models ${models.join(', ')}\n`,
  );

  const exported = args.export ? new ForecastExport(args.export, [0.1, 0.5, 0.9]) : undefined;
  const onForecast = async (scored: ScoredForecast) => {
    let score = scores.get(scored.model);
    if (score === undefined) scores.set(scored.model, (score = new Score()));
    const { forecast, actual } = scored;
    const [p10, p50, p90] = [0.1, 0.5, 0.9].map((q) => quantileRow(forecast, q)) as [
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let h = 0; h < HORIZON; h++) score.add(h + 1, actual[h]!, p10[h]!, p50[h]!, p90[h]!);
    await exported?.write(scored);
  };
  for (const model of models) {
    const started = performance.now();
    let lastPrint = 0;
    await runBacktest(
      frame,
      {
        region: 'IE',
        target,
        models: [model],
        horizon: HORIZON,
        origins: { from, to, everyH },
        refitEveryH: 0,
        trainHours,
        validationHours: config.VALIDATION_HOURS,
        contextLength: config.CONTEXT_LENGTH_H,
        seed: config.SEED,
        params: params[model] ? { [model]: params[model] } : {},
      },
      {
        factory: getModelFactory,
        onForecast,
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastPrint > 30_000 || p.originsDone === p.originsTotal) {
            lastPrint = now;
            process.stderr.write(`  ${model}: ${p.phase} ${p.originsDone}/${p.originsTotal}\n`);
          }
        },
      },
    );
    scores.get(model)!.seconds = (performance.now() - started) / 1000;
    process.stderr.write(`  ${model}: ${scores.get(model)!.seconds.toFixed(0)} s\n`);
  }
  await exported?.close();

  if (!args['no-reference']) {
    const started = performance.now();
    const input = join(tmp, 'series.csv');
    const output = join(tmp, 'reference.csv');
    let text = 'ts_utc,value\n';
    for (let i = 0; i < frame.ts.length; i++) {
      const v = frame.ts[i]! < to + HORIZON * HOUR_MS ? y[i]! : Number.NaN;
      text += `${new Date(frame.ts[i]!).toISOString()},${Number.isFinite(v) ? v : ''}\n`;
    }
    writeFileSync(input, text);
    const run = spawnSync(
      '/usr/bin/python3',
      [
        join(import.meta.dirname, 'year', 'reference_xgb.py'),
        '--input',
        input,
        '--train-end',
        new Date(from).toISOString(),
        '--train-years',
        args['reference-years'],
        '--origins-from',
        new Date(from).toISOString(),
        '--origins-to',
        new Date(to).toISOString(),
        '--every-h',
        String(everyH),
        '--output',
        output,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (run.status !== 0) throw new Error(`reference_xgb.py failed (exit ${run.status})`);
    const score = new Score();
    for (const line of readFileSync(output, 'utf8').trimEnd().split('\n').slice(1)) {
      const [origin, h, p10, p50, p90] = line.split(',');
      const row = originRow(Date.parse(origin!)) + Number(h) - 1;
      score.add(Number(h), y[row]!, Number(p10), Number(p50), Number(p90));
    }
    score.seconds = (performance.now() - started) / 1000;
    scores.set(REFERENCE, score);
  }

  const ref = scores.get(REFERENCE);
  const rows: Array<Record<string, Cell>> = [];
  for (const [model, score] of scores) {
    const { day, week } = score.scopes;
    const row: Record<string, Cell> = {
      model,
      'DA MAE': day.abs / day.n,
      'DA MAPE %': (100 * day.ape) / day.n,
      'DA MASE': day.abs / day.n / config0.scale,
      'WA MAE': week.abs / week.n,
      'WA MAPE %': (100 * week.ape) / week.n,
      'WA MASE': week.abs / week.n / config0.scale,
      'DA cover': day.intervals ? day.inside / day.intervals : Number.NaN,
      'WA cover': week.intervals ? week.inside / week.intervals : Number.NaN,
      'DA bias': day.bias / day.n,
      'WA bias': week.bias / week.n,
      ...Object.fromEntries(score.days.map((d, i) => [`d${i + 1} MAE`, d.sum / d.n])),
      'vs ref DA': ref ? 1 - day.abs / day.n / (ref.scopes.day.abs / ref.scopes.day.n) : Number.NaN,
      'vs ref WA': ref ? 1 - week.abs / week.n / (ref.scopes.week.abs / ref.scopes.week.n) : Number.NaN,
      seconds: score.seconds,
    };
    rows.push(row);
  }
  process.stdout.write(
    `\nyear protocol: ${target} IE, ${originCount} origins, MASE scale ${config0.scale.toFixed(1)} MW ` +
      `(snaive168 in-sample MAE, ${trainDays} days before ${args.from}); baseline: ${REFERENCE} ` +
      `(vs ref: share of the reference's MAE saved)\n`,
  );
  process.stdout.write(renderTable(rows) + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await store.close();
}
