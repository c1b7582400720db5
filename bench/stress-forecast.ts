/**
 * Stress as a forecast: the direct forecast of `stress_score` against one derived from forecasts of
 * its inputs, both backtested on the same origins and scored against the same actuals (the stored
 * stress_score), with the seasonal naive snaive24 as the named baseline in the same run.
 *
 * - direct: the xgb forecaster trained on the stored stress_score (what the pipeline's champion is).
 * - derived: xgb forecasts of every input of the score (net_load_mw, renew_mw, price_eur_mwh, snsp,
 *   ic_ewic_mw), each backtested like any target, put after the observed hours before the origin
 *   and pushed through the same computeStress as the feature build. Its P50 uses every input's
 *   P50. Its P10 and P90 take each input's quantile in the direction that lowers or raises the
 *   score (net load, price, SNSP and imports up; renewables down): the inputs' errors are treated
 *   as moving together, which makes the band wider rather than narrower.
 * - snaive24: the score of the same hour the day before.
 *
 * Real data (IE): daily origins at 00:00 UTC from 1 Jan to 11 Feb 2024 (the sample data end on
 * 19 Feb 2024), 48 hours ahead, weekly refits on the two years before each refit.
 *
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/stress_bench npx tsx src/cli/main.ts ingest --raw-dir ../shared/data/raw
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/stress_bench npx tsx bench/stress-forecast.ts [--from 2024-01-01] [--to 2024-02-11]
 *
 * The stored stress_score must come from the current formula (`dcgrid features rebuild-stress`).
 */
import { parseArgs } from 'node:util';
import { runBacktest, type BacktestProgress, type ScoredForecast } from '../src/backtest/engine.js';
import { MetricAccumulator, seasonalNaiveScale, type MetricValues } from '../src/backtest/metrics.js';
import { loadConfig } from '../src/config/config.js';
import { SEASONAL_REFERENCE, computeStress, type StressInputs } from '../src/features/stress.js';
import { HOUR_MS } from '../src/lib/time.js';
import { getModelFactory } from '../src/models/catalog.js';
import type { Forecast } from '../src/models/types.js';
import { loadHourlyFrame } from '../src/store/frames.js';
import { openStore } from '../src/store/open.js';

const { values: args } = parseArgs({
  options: {
    from: { type: 'string', default: '2024-01-01' },
    to: { type: 'string', default: '2024-02-11' },
    horizon: { type: 'string', default: '48' },
  },
});

const HORIZON = Number(args.horizon);
const TRAIN_HOURS = 2 * 365 * 24;
const QUANTILES = [0.1, 0.5, 0.9];
const MASE_SEASON = 168;
const firstOrigin = Date.parse(`${args.from}T00:00:00Z`);
const lastOrigin = Date.parse(`${args.to}T00:00:00Z`);
/** Hours of observed history the derived score needs before the origin (the seasonal reference's deepest lag). */
const HISTORY = Math.max(...SEASONAL_REFERENCE.lags.map(([, to]) => to)) + 24;

/** The score's inputs, each with the direction in which it raises the score. */
const INPUTS = [
  { column: 'net_load_mw', raises: true },
  { column: 'renew_mw', raises: false },
  { column: 'price_eur_mwh', raises: true },
  { column: 'snsp', raises: true },
  { column: 'ic_ewic_mw', raises: true },
] as const;
type InputColumn = (typeof INPUTS)[number]['column'];
const OTHER_COLUMNS = ['ic_moyle_mw', 'ic_greenlink_mw'] as const;

const config = loadConfig();
const store = await openStore(config, { owner: 'bench/stress-forecast' });
try {
  const frame = await loadHourlyFrame(store.db, {
    region: 'IE',
    columns: ['stress_score', ...INPUTS.map((i) => i.column), ...OTHER_COLUMNS],
    from: firstOrigin - (Math.max(TRAIN_HOURS, HISTORY) + 24) * HOUR_MS,
    to: lastOrigin + HORIZON * HOUR_MS,
  });
  if (frame.ts.length === 0 || !frame.columns.stress_score!.some((v) => !Number.isNaN(v))) {
    process.stderr.write('No IE stress_score stored: ingest the raw data first (see the header).\n');
    process.exit(2);
  }
  const first = frame.ts[0]!;
  const rowOf = (t: number) => Math.round((t - first) / HOUR_MS);
  process.stderr.write(
    `${store.description}: ${frame.ts.length} hours from ${new Date(first).toISOString()}; origins ${args.from} .. ${args.to}, ${HORIZON} h ahead\n`,
  );

  /** Backtests `models` on `target` and keeps every forecast by model and origin. */
  async function forecasts(target: string, models: string[]): Promise<Map<string, Map<number, Forecast>>> {
    const kept = new Map<string, Map<number, Forecast>>(models.map((m) => [m, new Map()]));
    const started = performance.now();
    const result = await runBacktest(
      frame,
      {
        region: 'IE',
        target,
        models,
        horizon: HORIZON,
        origins: { from: firstOrigin, to: lastOrigin, everyH: 24 },
        refitEveryH: 168,
        trainHours: TRAIN_HOURS,
        quantiles: QUANTILES,
      },
      {
        factory: getModelFactory,
        onForecast: (scored: ScoredForecast) => {
          kept.get(scored.model)!.set(scored.forecast.origin, scored.forecast);
        },
        onProgress: (p: BacktestProgress) => {
          if (p.phase === 'forecast' && p.originsDone === p.originsTotal) {
            process.stderr.write(`  ${target} ${p.model}: ${p.originsTotal} origins, ${p.fits} fits\n`);
          }
        },
      },
    );
    const fitSeconds = result.models.reduce((s, m) => s + m.fitSeconds + m.forecastSeconds, 0);
    seconds.set(target, (seconds.get(target) ?? 0) + fitSeconds);
    process.stderr.write(`  ${target}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return kept;
  }
  const seconds = new Map<string, number>();

  const direct = await forecasts('stress_score', ['snaive24', 'xgb']);
  const inputForecasts = new Map<InputColumn, Map<number, Forecast>>();
  for (const { column } of INPUTS) inputForecasts.set(column, (await forecasts(column, ['xgb'])).get('xgb')!);

  // The derived score: observed inputs before the origin, forecast inputs after it, computeStress.
  const derivedStarted = performance.now();
  const derived = new Map<number, Forecast>();
  const origins = [...direct.get('xgb')!.keys()].sort((a, b) => a - b);
  for (const origin of origins) {
    const r = rowOf(origin);
    const lo = r - HISTORY;
    const scenario = (level: 'p10' | 'p50' | 'p90'): Float64Array => {
      const window = (c: string) => frame.columns[c]!.slice(lo, r + HORIZON);
      const inputs: StressInputs = {
        start: first + lo * HOUR_MS,
        net_load_mw: window('net_load_mw'),
        renew_mw: window('renew_mw'),
        price_eur_mwh: window('price_eur_mwh'),
        snsp: window('snsp'),
        ic_ewic_mw: window('ic_ewic_mw'),
        ic_moyle_mw: window('ic_moyle_mw'),
        ic_greenlink_mw: window('ic_greenlink_mw'),
      };
      for (const { column, raises } of INPUTS) {
        const f = inputForecasts.get(column)!.get(origin)!;
        const q = level === 'p50' ? 0.5 : (level === 'p90') === raises ? 0.9 : 0.1;
        const values = f.values[f.quantiles.findIndex((l) => Math.abs(l - q) < 1e-9)]!;
        inputs[column].set(values.subarray(0, HORIZON), HISTORY);
      }
      // Links with no value before the origin have none after it either (they stay NaN).
      for (const column of OTHER_COLUMNS) inputs[column].fill(Number.NaN, HISTORY);
      return computeStress(inputs, config.STRESS_WEIGHTS).score.slice(HISTORY, HISTORY + HORIZON);
    };
    const [a, p50, b] = [scenario('p10'), scenario('p50'), scenario('p90')];
    // The SNSP term rises with renewables while the renewables term falls: keep the three in order.
    const p10 = a.map((x, h) => Math.min(x, p50[h]!, b[h]!));
    const p90 = b.map((x, h) => Math.max(x, p50[h]!, a[h]!));
    derived.set(origin, {
      origin,
      ts: Float64Array.from({ length: HORIZON }, (_, h) => origin + h * HOUR_MS),
      quantiles: QUANTILES,
      values: [p10, p50, p90],
    });
  }
  const derivedSeconds = (performance.now() - derivedStarted) / 1000;

  // Score every forecast against the stored stress_score, pooled over hours 1-24 and 1-48.
  const y = frame.columns.stress_score!;
  const scopes = [24, HORIZON] as const;
  const score = (byOrigin: Map<number, Forecast>): MetricValues[] => {
    const pooled = scopes.map(() => new MetricAccumulator(QUANTILES));
    for (const origin of origins) {
      const f = byOrigin.get(origin)!;
      const r = rowOf(origin);
      const scale = seasonalNaiveScale(y.subarray(Math.max(0, r - TRAIN_HOURS), r), MASE_SEASON);
      const point = new Float64Array(QUANTILES.length);
      for (let h = 0; h < HORIZON; h++) {
        for (let k = 0; k < QUANTILES.length; k++) point[k] = f.values[k]![h]!;
        scopes.forEach((hours, s) => {
          if (h < hours) pooled[s]!.add(y[r + h]!, point, scale);
        });
      }
    }
    return pooled.map((p) => p.values());
  };
  const rows = [
    ['snaive24 (baseline)', score(direct.get('snaive24')!)],
    ['direct xgb', score(direct.get('xgb')!)],
    ['derived (xgb inputs)', score(derived)],
  ] as const;
  const base = rows[0][1];
  const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log(
    `stress_score forecast backtest, IE, ${origins.length} daily origins ${args.from} .. ${args.to} 00:00 UTC, ` +
      `${HORIZON} h ahead, weekly refits, 2-year training windows; weights ${JSON.stringify(config.STRESS_WEIGHTS)}`,
  );
  console.log(
    `${'forecast'.padEnd(22)}${[
      'MAE 1-24',
      'MASE 1-24',
      'vs snaive24',
      'pinball 1-24',
      'P10-P90 cov',
      `MAE 1-${HORIZON}`,
      `MASE 1-${HORIZON}`,
      `pinball 1-${HORIZON}`,
      'n 1-24',
    ]
      .map((h) => h.padStart(13))
      .join('')}`,
  );
  for (const [name, [day, all]] of rows) {
    const gain = (base[0]!.mae - day!.mae) / base[0]!.mae;
    console.log(
      `${name.padEnd(22)}${[
        fmt(day!.mae),
        fmt(day!.mase),
        `${gain >= 0 ? '-' : '+'}${fmt(Math.abs(gain) * 100, 1)} %`,
        fmt(day!.pinball),
        fmt(day!.coverage, 2),
        fmt(all!.mae),
        fmt(all!.mase),
        fmt(all!.pinball),
        String(day!.n),
      ]
        .map((c) => c.padStart(13))
        .join('')}`,
    );
  }
  console.log(
    `\ncompute: direct stress_score backtest ${fmt(seconds.get('stress_score')!, 1)} s (snaive24 + xgb); ` +
      `input backtests ${INPUTS.map((i) => `${i.column} ${fmt(seconds.get(i.column)!, 1)} s`).join(', ')}; ` +
      `derived scores ${fmt(derivedSeconds, 2)} s for ${origins.length} origins`,
  );
  console.log('("vs snaive24": day-ahead MAE lower (-) or higher (+) than the baseline in the same run)');
} finally {
  await store.close();
}
