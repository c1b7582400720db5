/**
 * Forecast: history plus the issued forecast with its P10-P90 band for a region and target, from
 * the champion or a chosen model/version; below it the backtest error of that model by horizon.
 */
import { PALETTE, columnInfo } from '../api/catalog.js';
import {
  championTargets,
  fetchBacktests,
  fetchFeatures,
  fetchForecast,
  fetchRegistry,
  latestBacktestOf,
  type Backtest,
  type ForecastSeries,
  type Registry,
} from '../api/endpoints.js';
import { renderChart } from '../charts/timeseries.js';
import { emptyNote, errorBox, h, selectField, table } from '../lib/dom.js';
import { fmtHour, fmtNumber, fmtAge } from '../lib/format.js';
import { pick } from '../lib/route.js';
import {
  HOUR,
  card,
  loading,
  rangeHours,
  rangeOf,
  rangePicker,
  regionOf,
  regionPicker,
  targetPicker,
} from './common.js';
import type { View, ViewContext } from './view.js';

const ERROR_METRICS = ['mae', 'mase', 'rmse', 'pinball', 'coverage'] as const;

function fmtValue(target: string, v: number): string {
  const info = columnInfo(target);
  return info.share ? fmtNumber(v * 100, info.digits) : fmtNumber(v, info.digits);
}

function modelPickers(ctx: ViewContext, registry: Registry, region: string, target: string): HTMLElement[] {
  const versions = registry.versions.filter((v) => v.region === region && v.target === target);
  const models = [...new Set(versions.map((v) => v.model))].sort();
  const model = ctx.params.get('model') ?? '';
  const modelField = selectField(
    'Model',
    'model',
    [{ value: '', label: 'champion' }, ...models.map((m) => ({ value: m, label: m }))],
    model,
    (value) => ctx.update({ model: value || undefined, version: undefined }),
  );
  const ofModel = versions.filter((v) => v.model === model).sort((a, b) => b.version - a.version);
  const versionField = selectField(
    'Version',
    'version',
    [
      { value: '', label: model ? 'latest issued' : 'champion' },
      ...ofModel.map((v) => ({ value: String(v.version), label: `v${v.version} (${v.alias})` })),
    ],
    ctx.params.get('version') ?? '',
    (value) => ctx.update({ version: value || undefined }),
  );
  if (!model) versionField.querySelector('select')!.disabled = true;
  return [modelField, versionField];
}

function forecastChart(
  target: string,
  forecast: ForecastSeries,
  history: { ts: number[]; values: number[] },
) {
  const info = columnInfo(target);
  const scale = info.share ? 100 : 1;
  const start = history.ts[0] ?? forecast.ts[0]!;
  const end = Math.max(
    forecast.ts[forecast.ts.length - 1] ?? start,
    history.ts[history.ts.length - 1] ?? start,
  );
  const hours = Math.round((end - start) / HOUR) + 1;
  const x = Array.from({ length: hours }, (_, i) => start + i * HOUR);
  const observed = new Array<number>(hours).fill(Number.NaN);
  const p10 = new Array<number>(hours).fill(Number.NaN);
  const p50 = new Array<number>(hours).fill(Number.NaN);
  const p90 = new Array<number>(hours).fill(Number.NaN);
  history.ts.forEach((t, i) => (observed[Math.round((t - start) / HOUR)] = history.values[i]! * scale));
  forecast.ts.forEach((t, i) => {
    const k = Math.round((t - start) / HOUR);
    p10[k] = forecast.p10[i]! * scale;
    p50[k] = forecast.p50[i]! * scale;
    p90[k] = forecast.p90[i]! * scale;
  });
  return renderChart({
    id: `forecast-${forecast.region}-${target}`,
    title: `${info.label}, ${forecast.region}: observed and ${forecast.model} v${forecast.version} forecast`,
    x,
    xKind: 'time',
    yLabel: info.unit,
    series: [
      { key: 'observed', label: 'observed', values: observed, color: PALETTE.observed },
      { key: 'p50', label: 'forecast P50', values: p50, color: PALETTE.forecast, width: 2 },
      { key: 'p10', label: 'P10', values: p10, color: PALETTE.forecast, reducer: 'min', bandEdge: true },
      { key: 'p90', label: 'P90', values: p90, color: PALETTE.forecast, reducer: 'max', bandEdge: true },
    ],
    bands: [{ upper: 'p90', lower: 'p10', fill: PALETTE.band, label: 'P10-P90 band' }],
    markers: [{ at: forecast.origin, color: PALETTE.origin, label: 'origin' }],
  });
}

function errorSection(ctx: ViewContext, target: string, model: string, backtests: Backtest[]): HTMLElement {
  const backtest = latestBacktestOf(backtests, model);
  if (!backtest) return emptyNote(`No backtest of ${model} for this target yet.`);
  const metric = pick(ctx.params, 'metric', ERROR_METRICS, 'mae');
  const names = Object.keys(backtest.models).sort((a, b) =>
    a === model ? -1 : b === model ? 1 : a.localeCompare(b),
  );
  const x = Array.from({ length: backtest.horizon }, (_, i) => i + 1);
  const chart = renderChart({
    id: `backtest-${backtest.region}-${target}-${metric}`,
    title: `Backtest ${metric.toUpperCase()} by horizon (${backtest.origins} origins, ${fmtHour(backtest.firstOrigin)} to ${fmtHour(backtest.lastOrigin)})`,
    x,
    xKind: 'number',
    xLabel: 'horizon (h)',
    yLabel: metric === 'coverage' ? 'share' : metric === 'mase' ? 'MASE' : columnInfo(target).unit,
    series: names.map((name, i) => ({
      key: name,
      label: name === model ? `${name} (shown)` : name,
      values: x.map((hh) => backtest.models[name]!.byHorizon[hh - 1]?.[metric] ?? Number.NaN),
      color: PALETTE.models[i % PALETTE.models.length]!,
      width: name === model ? 2.5 : 1.25,
    })),
    height: 220,
  });
  const metricField = selectField(
    'Error metric',
    'metric',
    ERROR_METRICS.map((m) => ({ value: m, label: m.toUpperCase() })),
    metric,
    (value) => ctx.update({ metric: value }),
  );
  const rows = names.map((name) => {
    const m = backtest.models[name]!;
    return [
      name,
      fmtNumber(m.dayAhead['mae'], 3),
      fmtNumber(m.dayAhead['mase'], 3),
      fmtNumber(m.weekAhead['mae'], 3),
      fmtNumber(m.weekAhead['mase'], 3),
      fmtNumber(m.weekAhead['coverage'], 3),
    ];
  });
  return h(
    'div',
    {},
    h('div', { class: 'controls' }, metricField),
    ctx.keep(chart),
    table(
      ['model', 'day-ahead MAE', 'day-ahead MASE', 'week-ahead MAE', 'week-ahead MASE', 'P10-P90 coverage'],
      rows,
      {
        'aria-label': 'backtest metrics',
        'data-table': 'backtest',
      },
    ),
  );
}

export const forecastView: View = {
  title: 'Forecast',
  async render(ctx) {
    const region = regionOf(ctx);
    const range = rangeOf(ctx, '30d');
    ctx.root.append(h('h1', {}, 'Forecast'));
    const controls = h('div', { class: 'controls' }, regionPicker(ctx, region));
    const body = h('div', {}, loading('the forecast'));
    ctx.root.append(controls, body);

    const registry = await fetchRegistry({ region }, ctx.signal);
    const targets = championTargets(registry, region);
    const target = pick(ctx.params, 'target', targets, targets[0] ?? 'demand_mw');
    controls.append(
      targetPicker(ctx, targets, target),
      ...modelPickers(ctx, registry, region, target),
      rangePicker(ctx, range),
    );
    if (targets.length === 0) {
      body.replaceChildren(
        emptyNote(`No champion model for ${region} yet: run the pipeline (dcgrid pipeline).`),
      );
      return;
    }

    let forecast: ForecastSeries;
    try {
      forecast = await fetchForecast(
        {
          region,
          target,
          model: ctx.params.get('model') ?? undefined,
          version: ctx.params.get('version') ?? undefined,
        },
        ctx.signal,
      );
    } catch (error) {
      body.replaceChildren(errorBox('The forecast could not be loaded', error));
      return;
    }
    const historyTo = Math.max(forecast.origin, (forecast.lastObserved ?? forecast.origin - HOUR) + HOUR);
    const historyFrom = forecast.origin - rangeHours(range) * HOUR;
    const [features, backtests] = await Promise.allSettled([
      fetchFeatures({ region, from: historyFrom, to: historyTo, columns: [target] }, ctx.signal),
      fetchBacktests({ region, target }, ctx.signal),
    ]);
    const info = columnInfo(target);
    const first = forecast.p50.findIndex((v) => Number.isFinite(v));
    body.replaceChildren(
      h(
        'div',
        { class: 'cards', 'data-cards': 'forecast' },
        card('Model', `${forecast.model} v${forecast.version}`),
        card('Origin', fmtHour(forecast.origin)),
        card('Issued', fmtHour(forecast.issuedAt)),
        card('Data to', forecast.lastObserved === null ? '–' : fmtHour(forecast.lastObserved), '', {
          title: forecast.lastObserved === null ? '' : `${fmtAge(forecast.lastObserved, Date.now())} ago`,
        }),
        card('First hour P50', first < 0 ? '–' : fmtValue(target, forecast.p50[first]!), info.unit, {
          'data-value': 'first-p50',
        }),
        card('Hours ahead', String(forecast.ts.length)),
      ),
      features.status === 'fulfilled'
        ? ctx.keep(
            forecastChart(target, forecast, {
              ts: features.value.ts,
              values: features.value.numeric[target]!,
            }),
          )
        : errorBox('The history could not be loaded', features.reason),
      h(
        'details',
        {},
        h('summary', {}, 'Forecast values, hour by hour'),
        table(
          ['hour (UTC)', `P10 (${info.unit})`, `P50 (${info.unit})`, `P90 (${info.unit})`],
          forecast.ts.map((t, i) => [
            fmtHour(t),
            fmtValue(target, forecast.p10[i]!),
            fmtValue(target, forecast.p50[i]!),
            fmtValue(target, forecast.p90[i]!),
          ]),
          { 'aria-label': 'forecast values', 'data-table': 'forecast' },
        ),
      ),
      h('h2', {}, `Backtest error by horizon: ${forecast.model}`),
      backtests.status === 'fulfilled'
        ? errorSection(ctx, target, forecast.model, backtests.value)
        : errorBox('The backtests could not be loaded', backtests.reason),
    );
  },
};
