/**
 * The API under load with autocannon, against a bare Fastify route serving the same bytes in the
 * same run (the named baseline): GET /api/forecast (168 h x P10/P50/P90), GET
 * /emissions/forecasts/current, POST /api/schedule. The store is the tests' fixture (demo data
 * through the real ingest and pipeline) on PGlite, the API with its production settings.
 *
 *   npx tsx bench/api.ts [--seconds 10] [--connections 10] [--rounds 2]
 *
 * Targets on a 2-core machine: forecast route >= 80 % of the bare route's requests/s and p99
 * <= 10 ms; advisor p99 <= 50 ms. The machine's load average is printed: on a shared machine the
 * absolute numbers move, the ratio to the bare route in the same run much less.
 */
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createLogger } from '../src/lib/logger.js';
import { buildApp } from '../src/serve/app.js';
import { createServedStore, FIXTURE_TO } from '../src/serve/test-support/served-store.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const rounds = Number(args.rounds);

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, options: { method?: 'GET' | 'POST'; body?: string } = {}): Promise<Figures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: options.method ?? 'GET',
    ...(options.body !== undefined
      ? { body: options.body, headers: { 'content-type': 'application/json' } }
      : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

const served = await createServedStore('pglite');
const { app } = await buildApp({
  store: served.store,
  registry: served.registry,
  tracker: served.tracker,
  config: { ...served.config, API_CACHE_CHECK_MS: 1000 },
  logger: createLogger('bench-api', 'warn'),
  webRoot: '/nonexistent',
});
await app.listen({ port: 0, host: '127.0.0.1' });
const api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const forecastPath = '/api/forecast?target=demand_mw';
const forecastBytes = await (await fetch(`${api}${forecastPath}`)).text();
const bare = Fastify({ logger: false });
bare.get('/bare', (_request, reply) => reply.type('application/json; charset=utf-8').send(forecastBytes));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`;

const start = new Date(FIXTURE_TO).toISOString();
const scheduleBody = JSON.stringify({
  powerMw: 5,
  durationHours: 4,
  earliestStart: start,
  deadline: new Date(FIXTURE_TO + 72 * 3_600_000).toISOString(),
  objective: { price: 0.6, carbon: 0.4 },
  splittable: true,
  maxBlocks: 2,
});
const check = await fetch(`${api}/api/schedule`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: scheduleBody,
});
if (check.status !== 200)
  throw new Error(`POST /api/schedule answered ${check.status}: ${await check.text()}`);

console.log(
  `bench/api: ${connections} connections, ${seconds} s per run, ${rounds} rounds; forecast body ${forecastBytes.length} bytes; ` +
    `load average before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
const rows: Array<Record<string, string | number>> = [];
const best = new Map<string, Figures>();
for (let round = 1; round <= rounds; round++) {
  // Interleaved, so machine noise hits the baseline and the routes alike.
  const runs: Array<[string, () => Promise<Figures>]> = [
    ['bare Fastify route (same bytes)', () => load(bareUrl)],
    ['GET /api/forecast', () => load(`${api}${forecastPath}`)],
    ['GET /emissions/forecasts/current', () => load(`${api}/emissions/forecasts/current?location=IE`)],
    ['POST /api/schedule', () => load(`${api}/api/schedule`, { method: 'POST', body: scheduleBody })],
  ];
  for (const [name, run] of runs) {
    const figures = await run();
    rows.push({
      round,
      route: name,
      'req/s': Math.round(figures.rps),
      'p50 ms': figures.p50,
      'p99 ms': figures.p99,
      errors: figures.errors,
    });
    const previous = best.get(name);
    if (previous === undefined || figures.rps > previous.rps) best.set(name, figures);
  }
}
console.table(rows);
const bareBest = best.get('bare Fastify route (same bytes)')!;
const forecast = best.get('GET /api/forecast')!;
const advisor = best.get('POST /api/schedule')!;
const ratio = forecast.rps / bareBest.rps;
console.log(
  `load average after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `forecast route: ${(ratio * 100).toFixed(0)} % of the bare route's requests/s (target >= 80 %) ${ratio >= 0.8 ? 'MET' : 'NOT MET'}; ` +
    `p99 ${forecast.p99} ms (target <= 10 ms) ${forecast.p99 <= 10 ? 'MET' : 'NOT MET'}`,
);
console.log(
  `advisor: p99 ${advisor.p99} ms (target <= 50 ms) ${advisor.p99 <= 50 ? 'MET' : 'NOT MET'} (best round of ${rounds})`,
);

await app.close();
await bare.close();
await served.dispose();
