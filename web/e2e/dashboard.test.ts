/**
 * The dashboard in a real browser (Debian's Chromium) against the real API on a store filled by the
 * real ingest and pipeline code: every view, every picker, the advisor and scenario forms, what is drawn (series,
 * band, highlighted window, on the canvas itself), numbers in the page against the API's answers,
 * an error message when an API call fails, tablet width, the keyboard. Screenshots of every view go
 * to web/test-output/ (gitignored), for a person to look at.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../src/serve/test-support/api.js';
import {
  createServedStore,
  FIXTURE_TO,
  type ServedStore,
} from '../../src/serve/test-support/served-store.js';
import { fmtNumber } from '../src/lib/format.js';
import { launchBrowser, type Browser } from './browser.js';
import { buildDashboard } from './build.js';

const OUT = resolve(import.meta.dirname, '../test-output');

let served: ServedStore;
let server: TestApi;
let webRoot: string;
let base: string;
let browser: Browser;

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${base}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Opens a view and waits until it has drawn (main[data-state] leaves "loading"). */
async function open(page: Page, hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await settle(page);
}

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.getElementById('main');
    return main?.dataset.state === 'ready' || main?.dataset.state === 'error';
  });
}

/** Changes a picker and waits for the view to render again with it in the URL. */
async function choose(page: Page, picker: string, value: string): Promise<void> {
  const before = await page.evaluate(() => location.hash);
  await page.selectOption(`[data-picker="${picker}"]`, value);
  await page.waitForFunction((old) => location.hash !== old, before);
  await settle(page);
  expect(new URLSearchParams(page.url().split('?')[1] ?? '').get(picker)).toBe(value);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/**
 * Pixels of the chart's canvas of a colour (RGB within `tolerance`) and an opacity range: the plot's
 * canvas is transparent, so a fill drawn at 18 % opacity reads back as its own RGB at alpha ~46.
 */
async function pixels(
  page: Page,
  chart: string,
  colour: { rgb: [number, number, number]; alpha: [number, number] },
  tolerance = 6,
): Promise<number> {
  return page.evaluate(
    ({ chart, colour, tolerance }) => {
      const canvas = document.querySelector(`figure[data-chart="${chart}"] canvas`) as PageCanvas | null;
      if (!canvas) return -1;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i]! - colour.rgb[0]) <= tolerance &&
          Math.abs(data[i + 1]! - colour.rgb[1]) <= tolerance &&
          Math.abs(data[i + 2]! - colour.rgb[2]) <= tolerance &&
          data[i + 3]! >= colour.alpha[0] &&
          data[i + 3]! <= colour.alpha[1]
        )
          count++;
      }
      return count;
    },
    { chart, colour, tolerance },
  );
}

/** The colours of web/src/api/catalog.ts PALETTE as the canvas holds them. */
const BAND = { rgb: [29, 78, 216] as [number, number, number], alpha: [40, 52] as [number, number] };
const LINE = { rgb: [29, 78, 216] as [number, number, number], alpha: [230, 255] as [number, number] };
const CHOSEN = { rgb: [22, 163, 74] as [number, number, number], alpha: [58, 70] as [number, number] };

beforeAll(async () => {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  [webRoot, served] = await Promise.all([buildDashboard(), createServedStore('postgres')]);
  server = await startTestApi(served, {}, { webRoot });
  base = server.url;
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await served?.dispose();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
  it('forecast: observed, P50 and the P10-P90 band drawn; numbers equal the API; every picker changes the URL', async () => {
    const page = await browser.context.newPage();
    await open(page, '#/forecast');
    const forecast = await api<{ model: string; version: number; points: Array<{ p50: number }> }>(
      '/api/forecast?region=IE&target=demand_mw',
    );
    const chart = page.locator('figure[data-chart="forecast-IE-demand_mw"]');
    await expect(chart.getAttribute('data-series')).resolves.toBe('observed,p50');
    await expect(chart.getAttribute('data-bands')).resolves.toBe('p10-p90');
    expect(await pixels(page, 'forecast-IE-demand_mw', BAND)).toBeGreaterThan(500);
    expect(await pixels(page, 'forecast-IE-demand_mw', LINE, 20)).toBeGreaterThan(100);
    await expect(page.locator('[data-value="first-p50"] .value').textContent()).resolves.toBe(
      fmtNumber(forecast.points[0]!.p50, 0),
    );
    const cells = await page
      .locator('[data-table="forecast"] tbody tr')
      .first()
      .locator('td')
      .allTextContents();
    expect(cells[2]).toBe(fmtNumber(forecast.points[0]!.p50, 0));
    expect(await page.locator('[data-table="forecast"] tbody tr').count()).toBe(forecast.points.length);
    await shot(page, 'forecast');

    const download = page.waitForEvent('download');
    await chart.locator('button[data-csv]').click();
    const csv = (await readFile((await (await download).path())!, 'utf8')).trim().split('\r\n');
    expect(csv[0]).toBe('ts_utc,observed,p50,p10,p90');
    expect(csv.length - 1).toBe(Number(await chart.getAttribute('data-points')));

    const points30 = Number(await chart.getAttribute('data-points'));
    await choose(page, 'range', '7d');
    expect(
      Number(await page.locator('figure[data-chart="forecast-IE-demand_mw"]').getAttribute('data-points')),
    ).toBe(points30 - 23 * 24);
    await choose(page, 'metric', 'mase');
    await expect(page.locator('figure[data-chart^="backtest-IE-demand_mw-mase"]').count()).resolves.toBe(1);
    await choose(page, 'target', 'price_eur_mwh');
    await expect(
      page.locator('figure[data-chart="forecast-IE-price_eur_mwh"] .chart-title').textContent(),
    ).resolves.toContain('Day-ahead price');
    await choose(page, 'model', 'snaive168');
    await choose(page, 'version', '1');
    await expect(page.locator('[data-cards="forecast"]').textContent()).resolves.toContain('snaive168 v1');
    await choose(page, 'region', 'NI');
    await expect(page.locator('main').textContent()).resolves.toMatch(/No champion model for NI/);
    await page.close();
  });

  it('stress: timeline with band zones and threshold; the alert list equals the API; the threshold is a picker', async () => {
    const page = await browser.context.newPage();
    await open(page, '#/stress?range=30d');
    const figure = page.locator('figure[data-chart="stress-IE"]');
    await expect(figure.getAttribute('data-series')).resolves.toBe('observed,p50');
    await expect(figure.locator('.chart-key').textContent()).resolves.toMatch(
      /elevated.*high.*critical.*alert threshold 2\.0/,
    );
    const heading = async () => (await page.locator('h2', { hasText: 'Alerts at or above' }).textContent())!;
    const count = async (threshold: number) => {
      const forecast = await api<{ origin: string; points: Array<{ ts: string }> }>(
        '/api/forecast?region=IE&target=stress_score',
      );
      const origin = new Date(forecast.origin).getTime();
      const from = new Date(origin - 30 * 24 * 3_600_000).toISOString();
      const to = new Date(new Date(forecast.points.at(-1)!.ts).getTime() + 3_600_000).toISOString();
      const alerts = await api<{ observed: unknown[]; forecast: { hours: unknown[] } | { missing: string } }>(
        `/api/stress/alerts?region=IE&threshold=${threshold}&from=${from}&to=${to}`,
      );
      const forecastHours = 'hours' in alerts.forecast ? alerts.forecast.hours.length : 0;
      return `${alerts.observed.length} observed, ${forecastHours} forecast`;
    };
    expect(await heading()).toContain(await count(2));
    await shot(page, 'stress');
    await page.fill('[data-picker="threshold"]', '1');
    await page.press('[data-picker="threshold"]', 'Enter');
    await page.waitForFunction(() => location.hash.includes('threshold=1'));
    await settle(page);
    expect(await heading()).toContain(await count(1));
    // P(event) beside the score: this store has no stress_event classifier, so every hour shows '–',
    // as the API's null, and the note says why.
    const header = await page.locator('[data-table="alerts"] thead th').allTextContents();
    expect(header[3]).toBe('P(event)');
    const rows = await page
      .locator('[data-table="alerts"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.children[1]!.textContent, tr.children[3]!.textContent]));
    expect(rows.some(([kind]) => kind === 'forecast')).toBe(true);
    for (const [, probability] of rows) expect(probability).toBe('–');
    await expect(page.locator('[data-note="events"]').textContent()).resolves.toContain(
      'no stress_event forecast',
    );
    await page.close();
  });

  it('advisor: the submitted form gets the API answer, drawn with the chosen hours highlighted', async () => {
    const page = await browser.context.newPage();
    await open(page, '#/advisor');
    await page.selectOption('select[name="kind"]', 'energy');
    await page.fill('input[name="amount"]', '20');
    await page.fill('input[name="duration"]', '3');
    await page.selectOption('select[name="objective"]', 'price');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('run=1'));
    await settle(page);
    await page.locator('[data-table="schedule"]').waitFor();
    const hash = new URLSearchParams(page.url().split('?')[1]);
    const request = {
      region: 'IE',
      energyMwh: 20,
      durationHours: 3,
      earliestStart: `${hash.get('start')}:00.000Z`,
      deadline: `${hash.get('deadline')}:00.000Z`,
      objective: 'price',
      splittable: false,
    };
    const answer = await api<{ saving: { costEur: number } }>('/api/schedule', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    await expect(page.locator('[data-saving="cost"]').textContent()).resolves.toBe(
      fmtNumber(answer.saving.costEur, 0),
    );
    const chart = 'schedule-IE-price_eur_mwh';
    await expect(page.locator(`figure[data-chart="${chart}"] .chart-key`).textContent()).resolves.toContain(
      'chosen hours',
    );
    expect(await pixels(page, chart, CHOSEN)).toBeGreaterThan(200);
    await shot(page, 'advisor');
    await page.close();
  });

  it('scenarios: a stored study opens with the API numbers, chart and input sources; the form runs a new one', async () => {
    const day = 24 * 3_600_000;
    const date = (t: number) => new Date(t).toISOString().slice(0, 10);
    // A week of history and the week the champions forecast: the horizon's inputs are labelled.
    const made = await api<{ id: number }>('/api/scenarios', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'e2e study',
        region: 'IE',
        from: date(FIXTURE_TO - 7 * day),
        to: date(FIXTURE_TO + 7 * day),
        scenarios: [
          { name: 'flat', addMw: 500 },
          { name: 'flex', addMw: 500, profile: { kind: 'flexible', share: 0.2, maxShiftH: 24 } },
        ],
      }),
    });
    const page = await browser.context.newPage();
    await open(page, '#/scenarios');
    const link = page.locator(`[data-table="studies"] a[href="#/scenarios?study=${made.id}"]`);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.includes(`study=${id}`), made.id);
    await settle(page);
    interface Summary {
      name: string;
      hoursAboveThreshold: number;
      peakNetLoadMw: number | null;
      stressP99: number | null;
      costEur: number;
      carbonT: number;
      flex: { shiftedMwh: number; savedCostEur: number } | null;
    }
    const study = await api<{
      results: {
        baseline: { summary: Summary };
        scenarios: Array<{ summary: Summary }>;
        inputs: {
          horizonHours: number;
          sources: Record<string, Array<{ source: string }>>;
          tight: Array<{ hoursAboveThreshold: number }>;
        };
      };
    }>(`/api/scenarios/${made.id}`);
    const rows = [study.results.baseline, ...study.results.scenarios].map((o) => o.summary);
    const shown = (row: number, key: string) => page.locator(`[data-value="${row}-${key}"]`).textContent();
    for (const [row, s] of rows.entries()) {
      await expect(shown(row, 'hours_above_threshold')).resolves.toBe(fmtNumber(s.hoursAboveThreshold, 0));
      await expect(shown(row, 'peak_net_load_mw')).resolves.toBe(fmtNumber(s.peakNetLoadMw, 0));
      await expect(shown(row, 'stress_p99')).resolves.toBe(fmtNumber(s.stressP99, 2));
      await expect(shown(row, 'cost_eur')).resolves.toBe(fmtNumber(s.costEur, 0));
      await expect(shown(row, 'carbon_t')).resolves.toBe(fmtNumber(s.carbonT, 0));
      await expect(shown(row, 'flex_shifted_mwh')).resolves.toBe(fmtNumber(s.flex?.shiftedMwh ?? null, 0));
    }
    expect(rows[2]!.flex!.shiftedMwh).toBeGreaterThan(0);
    const chart = page.locator(`figure[data-chart="scenarios-${made.id}-stress"]`);
    await expect(chart.getAttribute('data-series')).resolves.toBe('baseline,flat,flex');
    await expect(chart.getAttribute('data-points')).resolves.toBe('14');
    await expect(chart.locator('.chart-key').textContent()).resolves.toContain('forecast horizon');
    expect(study.results.inputs.horizonHours).toBe(168);
    for (const [row, t] of study.results.inputs.tight.entries()) {
      await expect(
        page.locator(`[data-value="tight-${row}-hours_above_threshold"]`).textContent(),
      ).resolves.toBe(fmtNumber(t.hoursAboveThreshold, 0));
    }
    const sourceRows = page.locator('[data-table="sources"] tbody tr');
    expect(await sourceRows.count()).toBe(
      Object.values(study.results.inputs.sources).reduce((n, spans) => n + spans.length, 0),
    );
    await expect(page.locator('[data-table="sources"]').textContent()).resolves.toContain('snaive168');
    await expect(sourceRows.first().locator('td').first().textContent()).resolves.toBe('demand_mw');
    const download = page.waitForEvent('download');
    await page.click(`button[data-csv="scenarios-${made.id}-summary"]`);
    const csv = (await readFile((await (await download).path())!, 'utf8')).trim().split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv[2]!.startsWith('flat,flat,500,')).toBe(true);
    await shot(page, 'scenarios');
    // At tablet width the wide table scrolls inside its own box, not the page.
    await page.setViewportSize({ width: 768, height: 1024 });
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).resolves.toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1366, height: 900 });
    await choose(page, 'measure', 'netload');
    await expect(page.locator(`figure[data-chart="scenarios-${made.id}-netload"]`).count()).resolves.toBe(1);

    // The form: one flat scenario on history; its answer opens as the new study.
    await page.fill('input[name="name"]', 'from the form');
    await page.fill('input[name="from"]', date(FIXTURE_TO - 14 * day));
    await page.fill('input[name="to"]', date(FIXTURE_TO - 7 * day));
    await page.fill('input[name="addMw"]', '300');
    await page.uncheck('input[name="flexible"]');
    await page.click('form[data-form="study"] button[type="submit"]');
    await page.waitForFunction((id) => /study=(\d+)/.exec(location.hash)?.[1] !== String(id), made.id);
    await settle(page);
    await expect(page.locator('[data-study] h2').first().textContent()).resolves.toContain('from the form');
    await expect(page.locator('[data-value="horizon"]').textContent()).resolves.toContain('history');
    await page.close();
  });

  it('overview, models and data quality show the API numbers', async () => {
    const page = await browser.context.newPage();
    await open(page, '#/overview');
    const strip = page.locator('figure[data-strip="IE"] .strip span');
    expect(await strip.count()).toBe(168);
    await shot(page, 'overview');

    await open(page, '#/models?target=demand_mw');
    await expect(page.locator('[data-table="registry"] tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('figure[data-chart^="models-backtest-IE-demand_mw"]').count()).resolves.toBe(1);
    await choose(page, 'metric', 'coverage');
    await shot(page, 'models');

    await open(page, '#/quality');
    const report = await api<{ report: { totals: { recordsParsed: number } } }>('/api/data/report');
    await expect(page.locator('[data-value="records"] .value').textContent()).resolves.toBe(
      fmtNumber(report.report.totals.recordsParsed),
    );
    await shot(page, 'quality');
    await page.close();
  });

  it('a failing API call shows the error message, not an empty chart', async () => {
    const page = await browser.context.newPage();
    await page.route('**/api/forecast?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 503,
          code: 'E_NOT_READY',
          title: 'Service Unavailable',
          detail: 'database unreachable',
        }),
      }),
    );
    await open(page, '#/forecast');
    await expect(page.locator('.error').first().textContent()).resolves.toContain(
      'answered 503: database unreachable',
    );
    expect(await page.locator('figure[data-chart^="forecast-"]').count()).toBe(0);
    await shot(page, 'forecast-error');
    await page.close();
  });

  it('fits a tablet and works from the keyboard', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 768, height: 1024 });
    await open(page, '#/forecast');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'forecast-tablet');
    await page.focus('[data-picker="target"]');
    const before = await page.evaluate(() => location.hash);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((old) => location.hash !== old, before);
    await settle(page);
    // The re-rendered view gives focus back to the picker the user was on.
    await expect(page.evaluate(() => document.activeElement?.dataset.picker)).resolves.toBe('target');
    let reached = false;
    await page.focus('body');
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.dataset.picker === 'region');
    }
    expect(reached).toBe(true);
    await page.close();
  });
});
