/**
 * Ingest benchmark: the whole raw folder into PostgreSQL and into PGlite, and the seed's part
 * (ROI demand + wind + price) into PostgreSQL, each in a fresh database and its own process.
 * Baselines in the same run: the seed's pandas stack (DataFrame.to_sql, and COPY) on the same
 * part, when Debian's python3-pandas, python3-sqlalchemy and python3-psycopg2 are installed.
 *   npx tsx bench/ingest.ts [raw-dir]      (default ../shared/data/raw; PostgreSQL from TEST_DATABASE_URL)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

const rawDir = process.argv[2] ?? '../shared/data/raw';
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

interface OneResult {
  target: string;
  part: string;
  openSeconds: number;
  maxRssMb: number;
  runs: Array<{
    seconds: number;
    records: number;
    rowsWritten: { observations: number; features: number };
    featureRows: number;
    timings: Record<string, number>;
  }>;
}

function one(target: string, part: 'all' | 'roi', repeat = 2): OneResult {
  const out = execFileSync('npx', ['tsx', 'bench/ingest/one.ts', target, rawDir, part, String(repeat)], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as OneResult;
}

function print(label: string, r: OneResult): void {
  const [first, second] = r.runs;
  console.log(`\n${label}: ${r.target}, part ${r.part}`);
  console.log(`  open + migrate: ${r.openSeconds.toFixed(2)} s; peak RSS ${r.maxRssMb.toFixed(0)} MB`);
  if (first) {
    console.log(
      `  first ingest: ${first.seconds.toFixed(2)} s wall, ${first.records} records parsed ` +
        `(${Math.round(first.records / first.seconds).toLocaleString('en-IE')} readings/s), ` +
        `${first.rowsWritten.observations} observations + ${first.rowsWritten.features} feature rows written (${first.featureRows} hours built)`,
    );
    console.log(
      `  seconds per stage: ${Object.entries(first.timings)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}`,
    );
  }
  if (second) {
    console.log(
      `  same ingest again (idempotent): ${second.seconds.toFixed(2)} s, rows written ${second.rowsWritten.observations + second.rowsWritten.features}`,
    );
    console.log(
      `  seconds per stage: ${Object.entries(second.timings)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}`,
    );
  }
}

function seedBaseline(
  url: string,
  method: 'to_sql' | 'copy',
): { seconds: number; parseSeconds: number; rows: number } | undefined {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import pandas, sqlalchemy, psycopg2'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const out = execFileSync('/usr/bin/python3', ['bench/ingest/seed_pandas.py', rawDir, url, method], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim()) as { seconds: number; parseSeconds: number; rows: number };
}

if (!existsSync(rawDir)) {
  console.error(`no raw folder at ${rawDir}`);
  process.exit(2);
}
console.log(`ingest benchmark on ${rawDir} (${new Date().toISOString()}), node ${process.version}`);

const roiUrl = await freshDatabase('dcgrid_bench_roi');
const roi = one(roiUrl, 'roi');
print("the seed's part (ROI demand + wind quarter-hours, hourly price)", roi);
for (const method of ['to_sql', 'copy'] as const) {
  const seed = seedBaseline(roiUrl, method);
  if (seed === undefined) {
    console.log(
      `  baseline seed pandas ${method}: not run (apt-get install python3-pandas python3-sqlalchemy python3-psycopg2)`,
    );
  } else {
    console.log(
      `  baseline seed pandas + ${method}: ${seed.seconds.toFixed(2)} s wall (parse ${seed.parseSeconds.toFixed(2)} s), ${seed.rows} hourly rows ` +
        `-> dcgrid ${(seed.seconds / roi.runs[0]!.seconds).toFixed(2)}x faster`,
    );
  }
}
console.log(
  '  seed figures on the 2-core reference machine: 25 s (to_sql), 5.4 s (COPY); target for dcgrid: < 5 s',
);
await dropDatabase('dcgrid_bench_roi');

const allUrl = await freshDatabase('dcgrid_bench_all');
print('whole raw folder (target < 10 s on PostgreSQL)', one(allUrl, 'all'));
await dropDatabase('dcgrid_bench_all');
print('whole raw folder, embedded', one('pglite', 'all'));
