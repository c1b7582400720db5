/**
 * Dashboard: time to the first interactive view with a year of hourly data, in Debian's Chromium
 * against the real API on a store filled by the real ingest and pipeline (demo data, seasonal naive).
 * "Interactive": the view's data loaded, its charts drawn and its pickers usable (the page's
 * `dcgrid:<view>:ready` performance mark, measured from navigation start). Target: < 2 s.
 *
 * Baseline in the same run, the part no dashboard can skip: the same API calls made by a bare
 * script in the same browser (fetch and JSON parse of every answer the view reads). The difference
 * is the dashboard's own cost: loading its bundle, building the page, downsampling and drawing.
 *
 *   npx tsx bench/dashboard.ts [--days 365] [--repeats 5]
 */
import { rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/lib/logger.js';
import { runPipeline } from '../src/pipeline/pipeline.js';
import { openRegistry } from '../src/registry/open.js';
import { buildApp } from '../src/serve/app.js';
import { writeDemoRawDir } from '../src/sources/demo/generate.js';
import { createTestStore } from '../src/store/test-support/stores.js';
import { openTracker } from '../src/tracking/open.js';
import { launchBrowser } from '../web/e2e/browser.js';
import { buildDashboard } from '../web/e2e/build.js';

const { values: args } = parseArgs({
  options: { days: { type: 'string', default: '365' }, repeats: { type: 'string', default: '5' } },
});
const days = Number(args.days);
const repeats = Number(args.repeats);
const TO = Date.UTC(2024, 10, 1);
const FROM = TO - days * 24 * 3_600_000;
const HOUR = 3_600_000;

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const root = await mkdtemp(join(tmpdir(), 'dcgrid-bench-dashboard-'));
const raw = join(root, 'raw');
const t0 = performance.now();
await writeDemoRawDir(raw, { from: FROM, to: TO });
const config = loadConfig(
  { DCGRID_HOME: join(root, 'home'), DCGRID_RAW_DIR: raw, LOG_LEVEL: 'silent' },
  { dotenv: false },
);
const store = await createTestStore('postgres');
const tracker = openTracker(config, store);
const registry = openRegistry(config, store);
await runPipeline(
  { config, store, tracker, registry },
  {
    region: 'IE',
    targets: ['demand_mw', 'stress_score'],
    models: ['snaive168'],
    horizon: 168,
    contextLength: 168,
    trainHours: 4 * 168,
    validationHours: 168,
    backtestWeeks: 1,
    seed: 7,
    params: {},
    ingest: {},
    resume: false,
  },
);
const webRoot = await buildDashboard();
const built = await buildApp({
  store,
  registry,
  tracker,
  config,
  logger: createLogger('bench', 'silent'),
  webRoot,
});
const base = await built.app.listen({ port: 0, host: '127.0.0.1' });
console.log(
  `set-up (demo data ${days} days, ingest, pipeline, build): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const browser = await launchBrowser();
const views = [
  {
    name: 'forecast, 1 year of history',
    hash: `#/forecast?target=demand_mw&range=365d`,
    mark: 'dcgrid:forecast:ready',
  },
  { name: 'stress, 1 year of history', hash: `#/stress?range=365d`, mark: 'dcgrid:stress:ready' },
];
try {
  for (const view of views) {
    const dashboard: number[] = [];
    const apiOnly: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const page = await browser.context.newPage();
      await page.goto(`${base}/${view.hash}`);
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, view.mark, {
        timeout: 60_000,
      });
      dashboard.push(
        await page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, view.mark),
      );
      // The same answers fetched by a bare script: the URLs the view requested, in the same order and concurrency.
      const urls = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((u) => new URL(u).pathname.startsWith('/api/')),
      );
      apiOnly.push(
        await page.evaluate(async (list) => {
          const start = performance.now();
          // no-store: the page's own requests may have left answers in the HTTP cache.
          for (const url of list)
            await (await fetch(url, { cache: 'no-store' } as unknown as RequestInit)).json();
          return performance.now() - start;
        }, urls),
      );
      await page.close();
    }
    const first = dashboard[0]!;
    console.log(
      `${view.name}: first load ${first.toFixed(0)} ms, median of ${repeats} ${median(dashboard).toFixed(0)} ms ` +
        `(target < 2000 ms); baseline, its ${'API calls'} alone (sequential): median ${median(apiOnly).toFixed(0)} ms`,
    );
  }
} finally {
  await browser.close();
  await built.app.close();
  await store.dispose();
  await rm(root, { recursive: true, force: true });
  await rm(webRoot, { recursive: true, force: true });
}
void HOUR;
