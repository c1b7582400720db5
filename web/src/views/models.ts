/**
 * Models: the registry of a region and target (champion, challengers, retired versions and the
 * history of alias changes), backtest metrics per model and horizon, and what the learned models
 * say about their inputs: XGBoost gain importance, TFT variable-selection weights.
 */
import { PALETTE, TARGETS, columnInfo } from '../api/catalog.js';
import {
  fetchBacktests,
  fetchModelDetails,
  fetchRegistry,
  type Backtest,
  type ModelDetails,
  type ModelVersion,
} from '../api/endpoints.js';
import { renderChart } from '../charts/timeseries.js';
import { emptyNote, errorBox, h, selectField, table } from '../lib/dom.js';
import { fmtHour, fmtNumber } from '../lib/format.js';
import { pick } from '../lib/route.js';
import { loading, regionOf, regionPicker, targetPicker } from './common.js';
import type { View, ViewContext } from './view.js';

const METRICS = ['mase', 'mae', 'rmse', 'smape', 'pinball', 'coverage'] as const;
const TOP = 15;

function bars(title: string, weights: Record<string, number>, id: string): HTMLElement {
  const entries = Object.entries(weights)
    .filter(([, v]) => Number.isFinite(v))
    .sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  const max = entries[0]?.[1] ?? 1;
  const shown = entries.slice(0, TOP);
  return h(
    'figure',
    { class: 'chart', 'data-bars': id },
    h('figcaption', {}, h('span', { class: 'chart-title' }, title)),
    h(
      'ul',
      { class: 'bars' },
      shown.map(([name, v]) =>
        h(
          'li',
          {},
          h('span', {}, name),
          h('span', {
            class: 'bar',
            style: `width:${Math.max(1, (v / max) * 100).toFixed(1)}%`,
            'aria-hidden': 'true',
          }),
          h('span', { class: 'num' }, total > 0 ? `${fmtNumber((v / total) * 100, 1)} %` : fmtNumber(v, 3)),
        ),
      ),
    ),
    entries.length > TOP
      ? h('p', { class: 'notes' }, `${entries.length - TOP} more inputs with smaller shares.`)
      : null,
  );
}

function explanations(details: ModelDetails): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (details.importance) {
    out.push(
      bars(
        `${details.model} v${details.version}: gain importance (${details.importance.quantile} booster), share of total`,
        details.importance.weights,
        'xgb-importance',
      ),
    );
  }
  for (const [part, weights] of Object.entries(details.variableWeights ?? {})) {
    out.push(
      bars(
        `${details.model} v${details.version}: ${part} variable-selection weights`,
        weights,
        `tft-${part}`,
      ),
    );
  }
  return out;
}

function registryTable(versions: ModelVersion[]): HTMLElement {
  const metricKeys = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))]
    .filter((k) => /mase|mae/.test(k))
    .sort();
  const order = { champion: 0, challenger: 1, retired: 2 };
  const sorted = versions
    .slice()
    .sort((a, b) => order[a.alias] - order[b.alias] || b.createdAt - a.createdAt);
  return table(
    ['model', 'version', 'role', 'registered', ...metricKeys, 'run'],
    sorted.map((v) => [
      v.model,
      `v${v.version}`,
      h('span', { class: `band ${v.alias === 'champion' ? 'band-normal' : 'band-unknown'}` }, v.alias),
      fmtHour(v.createdAt),
      ...metricKeys.map((k) => fmtNumber(v.metrics[k], 3)),
      v.runId ? v.runId.slice(0, 8) : '–',
    ]),
    { 'aria-label': 'model registry', 'data-table': 'registry' },
  );
}

/** Each model's newest backtest: the pipeline backtests each model when it trains it. */
function latestPerModel(backtests: readonly Backtest[]): Array<{ model: string; backtest: Backtest }> {
  const seen = new Map<string, Backtest>();
  for (const b of backtests)
    for (const model of Object.keys(b.models)) if (!seen.has(model)) seen.set(model, b);
  return [...seen.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([model, backtest]) => ({ model, backtest }));
}

function backtestSection(
  ctx: ViewContext,
  region: string,
  target: string,
  backtests: readonly Backtest[],
): HTMLElement {
  const metric = pick(ctx.params, 'metric', METRICS, 'mase');
  const latest = latestPerModel(backtests);
  const horizon = Math.max(...latest.map((l) => l.backtest.horizon));
  const x = Array.from({ length: horizon }, (_, i) => i + 1);
  const chart = renderChart({
    id: `models-backtest-${region}-${target}-${metric}`,
    title: `${metric.toUpperCase()} by horizon, each model's latest backtest`,
    x,
    xKind: 'number',
    xLabel: 'horizon (h)',
    yLabel:
      metric === 'coverage'
        ? 'share'
        : metric === 'mase'
          ? 'MASE'
          : metric === 'smape'
            ? '%'
            : columnInfo(target).unit,
    series: latest.map(({ model, backtest }, i) => ({
      key: model,
      label: model,
      values: x.map((hh) => backtest.models[model]!.byHorizon[hh - 1]?.[metric] ?? Number.NaN),
      color: PALETTE.models[i % PALETTE.models.length]!,
    })),
    height: 240,
  });
  const originsText = (b: Backtest) => `${b.origins} from ${fmtHour(b.firstOrigin)}`;
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'controls' },
      selectField(
        'Metric',
        'metric',
        METRICS.map((m) => ({ value: m, label: m.toUpperCase() })),
        metric,
        (value) => ctx.update({ metric: value }),
      ),
    ),
    ctx.keep(chart),
    table(
      ['model', 'scope', ...METRICS.map((m) => m.toUpperCase()), 'points', 'origins'],
      latest.flatMap(({ model, backtest }) => {
        const m = backtest.models[model]!;
        return [
          [
            model,
            'day ahead (1-24 h)',
            ...METRICS.map((k) => fmtNumber(m.dayAhead[k], 3)),
            fmtNumber(m.dayAhead['n']),
            originsText(backtest),
          ],
          [
            model,
            `week ahead (1-${backtest.horizon} h)`,
            ...METRICS.map((k) => fmtNumber(m.weekAhead[k], 3)),
            fmtNumber(m.weekAhead['n']),
            originsText(backtest),
          ],
        ];
      }),
      { 'aria-label': 'backtest metrics per model', 'data-table': 'model-metrics' },
    ),
  );
}

export const modelsView: View = {
  title: 'Models',
  async render(ctx) {
    const region = regionOf(ctx);
    ctx.root.append(h('h1', {}, 'Models'));
    const controls = h('div', { class: 'controls' }, regionPicker(ctx, region));
    const body = h('div', {}, loading('the registry'));
    ctx.root.append(controls, body);
    const registry = await fetchRegistry({ region }, ctx.signal);
    const targets = [
      ...new Set(registry.versions.filter((v) => v.region === region).map((v) => v.target)),
    ].sort(
      (a, b) =>
        TARGETS.indexOf(a as (typeof TARGETS)[number]) - TARGETS.indexOf(b as (typeof TARGETS)[number]),
    );
    const target = pick(ctx.params, 'target', targets, targets[0] ?? 'demand_mw');
    controls.append(targetPicker(ctx, targets, target));
    const versions = registry.versions.filter((v) => v.region === region && v.target === target);
    if (versions.length === 0) {
      body.replaceChildren(emptyNote(`No registered model for ${region} ${target}.`));
      return;
    }
    const events = registry.events.filter((e) => e.region === region && e.target === target);
    const learned = ['xgb', 'tft'].flatMap((model) => {
      const ofModel = versions.filter((v) => v.model === model);
      const best =
        ofModel.find((v) => v.alias === 'champion') ?? ofModel.sort((a, b) => b.version - a.version)[0];
      return best ? [best] : [];
    });
    const [backtests, ...details] = await Promise.allSettled([
      fetchBacktests({ region, target }, ctx.signal),
      ...learned.map((v) => fetchModelDetails(v, ctx.signal)),
    ]);
    body.replaceChildren(
      h('h2', {}, `Registry: ${columnInfo(target).label}, ${region}`),
      registryTable(versions),
      h('h2', {}, 'Backtest metrics per model and horizon'),
      backtests?.status === 'rejected'
        ? errorBox('The backtests could not be loaded', backtests.reason)
        : backtests && backtests.value.length > 0
          ? backtestSection(ctx, region, target, backtests.value)
          : emptyNote('No backtest for this target yet.'),
      h('h2', {}, 'What the learned models use'),
      ...(learned.length === 0
        ? [
            emptyNote(
              'No XGBoost or TFT version for this target: the baselines have no learned weights to show.',
            ),
          ]
        : details.flatMap((d, i) =>
            d.status === 'fulfilled'
              ? explanations(d.value as ModelDetails)
              : [
                  errorBox(
                    `The details of ${learned[i]!.model} v${learned[i]!.version} could not be loaded`,
                    d.reason,
                  ),
                ],
          )),
      h('h2', {}, 'History'),
      events.length === 0
        ? emptyNote('No alias change recorded.')
        : table(
            ['when (UTC)', 'model', 'version', 'action', 'role', 'reason'],
            events
              .slice()
              .sort((a, b) => b.createdAt - a.createdAt)
              .map((e) => [fmtHour(e.createdAt), e.model, `v${e.version}`, e.action, e.alias, e.reason]),
            { 'aria-label': 'registry history', 'data-table': 'history' },
          ),
    );
  },
};
