/**
 * One measured ingest in a process of its own (so peak RSS is its own): prints one JSON line.
 * Usage: tsx bench/ingest/one.ts <postgres-url | pglite> <raw-dir> <all | roi> [repeat]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { runIngest, type IngestInput } from '../../src/ingest/ingest.js';
import { planIngest } from '../../src/ingest/plan.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { connectPglite } from '../../src/store/pglite/connect.js';
import { connectPostgres } from '../../src/store/postgres/connect.js';

const [target = 'pglite', rawDir = '../shared/data/raw', part = 'all', repeat = '1'] = process.argv.slice(2);

/** The seed's part: ROI demand and wind quarter-hours and the hourly price. */
function roiPart(inputs: IngestInput[]): IngestInput[] {
  return inputs
    .map((input) => ({
      adapter: input.adapter,
      files: input.files.filter((f) =>
        input.adapter.name === 'dashboard'
          ? /ROI_(demandactual|windactual)_\d+_Eirgrid\.csv$/.test(f)
          : input.adapter.name === 'ember',
      ),
    }))
    .filter((input) => input.files.length > 0);
}

const config = loadConfig({ DCGRID_RAW_DIR: rawDir }, { dotenv: false });
const started = performance.now();
const home = await mkdtemp(join(tmpdir(), 'dcgrid-bench-'));
const store =
  target === 'pglite' ? await connectPglite({ dataDir: join(home, 'db') }) : await connectPostgres(target);
await migrateToLatest(store.db);
const openSeconds = (performance.now() - started) / 1000;
const plan = await planIngest(config);
const runs = [];
for (let i = 0; i < Number(repeat); i++) {
  const t0 = performance.now();
  const { report } = await runIngest(store, {
    ...plan,
    inputs: part === 'roi' ? roiPart(plan.inputs) : plan.inputs,
    stressWeights: config.STRESS_WEIGHTS,
    stressAlertThreshold: config.STRESS_ALERT_THRESHOLD,
  });
  runs.push({
    seconds: (performance.now() - t0) / 1000,
    records: report.totals.recordsParsed,
    rowsWritten: report.rowsWritten,
    featureRows: report.features.reduce((n, f) => n + f.rows, 0),
    timings: report.timings,
  });
}
await store.close();
await rm(home, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ target: target === 'pglite' ? 'pglite' : 'postgres', part, openSeconds, runs, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
