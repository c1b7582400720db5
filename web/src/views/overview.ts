/**
 * Overview: per region, the latest observed hour of each headline column with how fresh it is,
 * the current stress band, and a 7-day strip of the forecast stress (the champion's P50, by band).
 */
import { BAND_COLOURS, REGION_LABELS, columnInfo, type Region } from '../api/catalog.js';
import {
  fetchAlerts,
  fetchFeatures,
  fetchForecast,
  fetchReport,
  type FeatureFrame,
  type ForecastSeries,
} from '../api/endpoints.js';
import { emptyNote, errorBox, h } from '../lib/dom.js';
import { fmtAge, fmtHour, fmtNumber } from '../lib/format.js';
import { bandOf, type BandEdges } from '../lib/stress.js';
import { HOUR, card, loading } from './common.js';
import type { View } from './view.js';

const HEADLINE = [
  'demand_mw',
  'wind_mw',
  'solar_mw',
  'price_eur_mwh',
  'renewable_share',
  'co2_intensity',
  'snsp',
  'stress_score',
];
const LOOK_BACK_H = 72;

/** The last hour with a value, and the value. */
function latest(frame: FeatureFrame, column: string): { ts: number; value: number } | null {
  const values = frame.numeric[column]!;
  for (let i = values.length - 1; i >= 0; i--)
    if (Number.isFinite(values[i]!)) return { ts: frame.ts[i]!, value: values[i]! };
  return null;
}

function latestText(frame: FeatureFrame, column: string): string | null {
  const values = frame.text[column]!;
  for (let i = values.length - 1; i >= 0; i--) if (values[i]) return values[i]!;
  return null;
}

function strip(forecast: ForecastSeries, edges: BandEdges): HTMLElement {
  const cells = forecast.ts.map((t, i) => {
    const band = bandOf(forecast.p50[i], edges);
    const colour = band ? BAND_COLOURS[band] : '#e5e7eb';
    return h('span', {
      style: `background:${colour}`,
      title: `${fmtHour(t)}: stress ${fmtNumber(forecast.p50[i], 2)} (${band ?? 'no value'})`,
      'data-band': band ?? 'none',
    });
  });
  const first = forecast.ts[0]!;
  const last = forecast.ts[forecast.ts.length - 1]! + HOUR;
  const counts = new Map<string, number>();
  for (const c of cells) counts.set(c.dataset.band!, (counts.get(c.dataset.band!) ?? 0) + 1);
  const summary = ['elevated', 'high', 'critical'].map((b) => `${counts.get(b) ?? 0} h ${b}`).join(', ');
  return h(
    'figure',
    { class: 'chart', 'data-strip': forecast.region },
    h(
      'figcaption',
      {},
      h(
        'span',
        { class: 'chart-title' },
        `Forecast stress, next ${forecast.ts.length} h (${forecast.model} v${forecast.version} P50): ${summary}`,
      ),
    ),
    h('div', { class: 'strip', role: 'img', 'aria-label': `forecast stress by hour: ${summary}` }, cells),
    h('div', { class: 'strip-axis' }, h('span', {}, fmtHour(first)), h('span', {}, fmtHour(last))),
  );
}

async function regionPanel(
  region: Region,
  to: number,
  edges: BandEdges,
  signal: AbortSignal,
): Promise<HTMLElement> {
  const [features, forecast] = await Promise.allSettled([
    fetchFeatures(
      { region, from: to - LOOK_BACK_H * HOUR, to, columns: [...HEADLINE, 'stress_band'] },
      signal,
    ),
    fetchForecast({ region, target: 'stress_score' }, signal),
  ]);
  const parts: HTMLElement[] = [];
  let head = h('div', { class: 'region-head' }, h('h2', {}, REGION_LABELS[region]));
  if (features.status === 'rejected') {
    parts.push(errorBox(`The latest ${region} data could not be loaded`, features.reason));
  } else {
    const frame = features.value;
    const stress = latest(frame, 'stress_score');
    const band = latestText(frame, 'stress_band') ?? bandOf(stress?.value, edges) ?? 'unknown';
    const newest = Math.max(...HEADLINE.map((c) => latest(frame, c)?.ts ?? Number.NEGATIVE_INFINITY));
    head = h(
      'div',
      { class: 'region-head' },
      h('h2', {}, REGION_LABELS[region]),
      h('span', { class: `band band-${band}`, 'data-value': `${region}-band` }, `stress ${band}`),
      h(
        'span',
        { class: 'fresh', 'data-value': `${region}-fresh` },
        Number.isFinite(newest)
          ? `data to ${fmtHour(newest + HOUR)} (${fmtAge(newest + HOUR, Date.now())} ago)`
          : 'no recent data',
      ),
    );
    parts.push(
      h(
        'div',
        { class: 'cards' },
        HEADLINE.map((column) => {
          const info = columnInfo(column);
          const value = latest(frame, column);
          const shown =
            value === null ? '–' : fmtNumber(info.share ? value.value * 100 : value.value, info.digits);
          return card(info.label, shown, info.unit, {
            'data-value': `${region}-${column}`,
            title:
              value === null
                ? `no ${column} in the last ${LOOK_BACK_H} h`
                : `${column} at ${fmtHour(value.ts)}`,
          });
        }),
      ),
    );
  }
  if (forecast.status === 'fulfilled') parts.push(strip(forecast.value, edges));
  else parts.push(emptyNote(`No stress forecast for ${region}: ${(forecast.reason as Error).message}`));
  return h('section', { class: 'region', 'data-region': region }, head, ...parts);
}

export const overviewView: View = {
  title: 'Overview',
  async render(ctx) {
    ctx.root.append(h('h1', {}, 'Overview'));
    const body = h('div', {}, loading('the latest data'));
    ctx.root.append(body);
    const report = await fetchReport(ctx.signal);
    const regions = report.features.filter((f) => f.rows > 0 && f.to !== null);
    if (regions.length === 0) {
      body.replaceChildren(emptyNote('No feature rows yet: run `dcgrid ingest` or the pipeline.'));
      return;
    }
    // The alerts route gives the server's band edges (from STRESS_ALERT_THRESHOLD).
    const firstTo = new Date(regions[0]!.to!).getTime();
    const alerts = await fetchAlerts(
      { region: regions[0]!.region, from: firstTo - HOUR, to: firstTo },
      ctx.signal,
    );
    const panels = await Promise.all(
      regions.map((f) => regionPanel(f.region, new Date(f.to!).getTime(), alerts.bands, ctx.signal)),
    );
    body.replaceChildren(h('p', { class: 'lead' }, report.dataNote), ...panels);
  },
};
