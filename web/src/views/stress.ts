/**
 * Stress: the observed stress score and the champion's forecast of it on the band zones, the
 * alert threshold, and the alert list (observed and forecast hours at or above the threshold) with
 * the components that pushed each hour over; forecast hours carry the event classifier's
 * P(stress_event) next to the score.
 */
import { BAND_FILLS, PALETTE, STRESS_BANDS, type StressBand } from '../api/catalog.js';
import {
  fetchAlerts,
  fetchFeatures,
  fetchForecast,
  type ForecastSeries,
  type StressAlert,
} from '../api/endpoints.js';
import { renderChart } from '../charts/timeseries.js';
import { emptyNote, errorBox, h, table } from '../lib/dom.js';
import { fmtHour, fmtNumber } from '../lib/format.js';
import { bandZones } from '../lib/stress.js';
import { HOUR, loading, rangeHours, rangeOf, rangePicker, regionOf, regionPicker } from './common.js';
import type { View, ViewContext } from './view.js';

const TARGET = 'stress_score';

function thresholdField(ctx: ViewContext, value: number | null): HTMLElement {
  const input = h('input', {
    type: 'number',
    step: '0.1',
    min: '0',
    max: '10',
    name: 'threshold',
    'data-picker': 'threshold',
    value: value === null ? '' : String(value),
    placeholder: 'server default',
    onchange: (e: Event) => {
      const text = (e.target as HTMLInputElement).value.trim();
      ctx.update({ threshold: text === '' ? undefined : text });
    },
  });
  return h('label', { class: 'field' }, h('span', {}, 'Alert threshold (z)'), input);
}

/** Observed alerts: the components that pushed the score up; forecast alerts: how sure the forecast is. */
function componentText(alert: StressAlert): string {
  if (alert.kind === 'forecast') {
    return alert.level === 'possible'
      ? 'possible: only the P90 reaches the threshold'
      : 'expected: the P50 reaches it';
  }
  if (alert.drivers.length === 0) return '–';
  return alert.drivers
    .map((c) => `${c.name} ${fmtNumber(c.value, 2)} (${fmtNumber(c.contribution, 2)})`)
    .join(', ');
}

function bandBadge(band: string | null): HTMLElement {
  const known = band !== null && (STRESS_BANDS as readonly string[]).includes(band);
  return h('span', { class: `band band-${known ? band : 'unknown'}` }, band ?? '–');
}

export const stressView: View = {
  title: 'Stress',
  async render(ctx) {
    const region = regionOf(ctx);
    const range = rangeOf(ctx, '30d');
    const thresholdText = ctx.params.get('threshold');
    const threshold =
      thresholdText !== null && Number.isFinite(Number(thresholdText)) ? Number(thresholdText) : null;
    ctx.root.append(
      h('h1', {}, 'Grid stress'),
      h(
        'p',
        { class: 'lead' },
        'Stress score in z units (docs/FEATURES.md): a weighted composite of ramp, renewable variability, price, net load and SNSP. Hours at or above the threshold are alerts.',
      ),
      h(
        'div',
        { class: 'controls' },
        regionPicker(ctx, region),
        rangePicker(ctx, range),
        thresholdField(ctx, threshold),
      ),
    );
    const body = h('div', {}, loading('the stress timeline'));
    ctx.root.append(body);

    let forecast: ForecastSeries | null = null;
    let forecastError: unknown = null;
    try {
      forecast = await fetchForecast({ region, target: TARGET }, ctx.signal);
    } catch (error) {
      forecastError = error;
    }
    // Without a stress forecast the timeline ends at the last observed hour the alerts route knows.
    const end = forecast ? forecast.ts[forecast.ts.length - 1]! + HOUR : Date.now();
    const origin = forecast?.origin ?? end;
    const from = origin - rangeHours(range) * HOUR;
    const [observed, alerts] = await Promise.allSettled([
      fetchFeatures({ region, from, to: origin, columns: [TARGET] }, ctx.signal),
      fetchAlerts({ region, threshold: threshold ?? undefined, from, to: end }, ctx.signal),
    ]);
    const parts: HTMLElement[] = [];
    if (forecastError) parts.push(errorBox('The stress forecast could not be loaded', forecastError));
    if (alerts.status === 'rejected') {
      parts.push(errorBox('The stress alerts could not be loaded', alerts.reason));
      body.replaceChildren(...parts);
      return;
    }
    const effective = alerts.value.threshold;
    const edges = alerts.value.bands;
    if (observed.status === 'rejected') {
      parts.push(errorBox('The observed stress could not be loaded', observed.reason));
    } else {
      const hours = Math.round((end - from) / HOUR);
      const x = Array.from({ length: hours }, (_, i) => from + i * HOUR);
      const obs = new Array<number>(hours).fill(Number.NaN);
      const p10 = obs.slice();
      const p50 = obs.slice();
      const p90 = obs.slice();
      observed.value.ts.forEach(
        (t, i) => (obs[Math.round((t - from) / HOUR)] = observed.value.numeric[TARGET]![i]!),
      );
      forecast?.ts.forEach((t, i) => {
        const k = Math.round((t - from) / HOUR);
        if (k < 0 || k >= hours) return;
        p10[k] = forecast.p10[i]!;
        p50[k] = forecast.p50[i]!;
        p90[k] = forecast.p90[i]!;
      });
      const finite = [...obs, ...p10, ...p90].filter(Number.isFinite);
      const lo = finite.length ? Math.min(...finite) : 0;
      const hi = finite.length ? Math.max(...finite) : effective;
      const series = [{ key: 'observed', label: 'observed', values: obs, color: PALETTE.observed }];
      const chart = renderChart({
        id: `stress-${region}`,
        title: `Stress score, ${region}: observed${forecast ? ` and ${forecast.model} v${forecast.version} forecast` : ''}`,
        x,
        xKind: 'time',
        yLabel: 'z',
        series: forecast
          ? [
              ...series,
              { key: 'p50', label: 'forecast P50', values: p50, color: PALETTE.forecast, width: 2 },
              {
                key: 'p10',
                label: 'P10',
                values: p10,
                color: PALETTE.forecast,
                reducer: 'min',
                bandEdge: true,
              },
              {
                key: 'p90',
                label: 'P90',
                values: p90,
                color: PALETTE.forecast,
                reducer: 'max',
                bandEdge: true,
              },
            ]
          : series,
        ...(forecast
          ? { bands: [{ upper: 'p90', lower: 'p10', fill: PALETTE.band, label: 'P10-P90 band' }] }
          : {}),
        yZones: bandZones(edges, lo, hi)
          .filter((z) => z.band !== 'normal')
          .map((z) => ({ from: z.from, to: z.to, fill: BAND_FILLS[z.band as StressBand], label: z.band })),
        thresholds: [
          { value: effective, color: PALETTE.threshold, label: `alert threshold ${fmtNumber(effective, 1)}` },
        ],
        ...(forecast ? { markers: [{ at: forecast.origin, color: PALETTE.origin, label: 'origin' }] } : {}),
      });
      parts.push(ctx.keep(chart));
    }
    const list = alerts.value.alerts;
    const observedCount = list.filter((a) => a.kind === 'observed').length;
    parts.push(
      h(
        'h2',
        {},
        `Alerts at or above ${fmtNumber(effective, 1)}: ${observedCount} observed, ${list.length - observedCount} forecast`,
      ),
    );
    const events = alerts.value.events;
    parts.push(
      h(
        'p',
        { class: 'lead', 'data-note': 'events' },
        'missing' in events
          ? `P(event): none (${events.missing}).`
          : `P(event): probability of a stress event in the hour (tight net load, SNSP near its limit or a price spike) from ${events.model} v${events.version}; alert at ${fmtNumber(events.alertProbability, 2)} or more.`,
      ),
    );
    parts.push(
      list.length === 0
        ? emptyNote('No hour in this range reaches the threshold.')
        : table(
            [
              'hour (UTC)',
              'kind',
              'score (forecast: P50)',
              'P(event)',
              'P10-P90',
              'band',
              'drivers: component value (contribution)',
            ],
            list.map((a) => [
              fmtHour(a.ts),
              a.kind,
              fmtNumber(a.score, 2),
              a.eventProbability === null ? '–' : fmtNumber(a.eventProbability, 2),
              a.p10 === null || a.p90 === null ? '–' : `${fmtNumber(a.p10, 2)} to ${fmtNumber(a.p90, 2)}`,
              bandBadge(a.band),
              componentText(a),
            ]),
            { 'aria-label': 'stress alerts', 'data-table': 'alerts' },
          ),
    );
    body.replaceChildren(...parts);
  },
};
