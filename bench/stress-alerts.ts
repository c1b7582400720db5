/**
 * Validation of the stress score against the grid operator's published System Alert days
 * (bench/stress/alert-days.ts): each alert day's maximum hourly stress is ranked among all days
 * 2019-2024 (percentile), and the days reaching the alert band without an alert are counted.
 * Compared in the same run, on the same days: `prev`, the issue-15 score before interconnector
 * outages counted (its interconnector term from the flows alone), `old`, the score before issue 15
 * (computed here from the stored hourly columns), net load alone and the day-ahead price alone.
 *
 *   createdb -h 127.0.0.1 stress_bench
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/stress_bench npx tsx src/cli/main.ts ingest --raw-dir ../shared/data/raw
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/stress_bench npx tsx bench/stress-alerts.ts
 *
 * The new score is recomputed here from the stored hourly frame with the current code and
 * STRESS_WEIGHTS, so the database need not be re-ingested after a change to the formula.
 */
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import {
  combineStress,
  computeStress,
  interconnectorFlows,
  interconnectorTerm,
  STRESS_COMPONENTS,
  stressBandFloors,
} from '../src/features/stress.js';
import { HOUR_MS, isoDate, utcToIrishWallMs } from '../src/lib/time.js';
import { ALERT_DAYS, EXCLUDED_ALERT_DAYS } from './stress/alert-days.js';
import { legacyStress } from './stress/legacy.js';

const FIRST_DAY = '2019-01-01';
const LAST_DAY = '2024-12-31';
/** A day counts when every compared series has at least this many hours. */
const MIN_HOURS = 18;

const config = loadConfig();
const url = config.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/stress_bench';
const region = config.REGION;

const COLUMNS = [
  'demand_mw',
  'renew_mw',
  'net_load_mw',
  'price_eur_mwh',
  'snsp',
  'ic_ewic_mw',
  'ic_moyle_mw',
  'ic_greenlink_mw',
] as const;
type Column = (typeof COLUMNS)[number];

async function readFrame(): Promise<{ start: number; columns: Record<Column, Float64Array> }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<Record<Column, number | null> & { ts: string }>(
      `SELECT extract(epoch FROM ts_utc) * 1000 AS ts, ${COLUMNS.join(', ')}
       FROM dcgrid.features_hourly WHERE region = $1 ORDER BY ts_utc`,
      [region],
    );
    if (rows.length === 0) throw new Error(`no ${region} features in ${url}: ingest first (see the header)`);
    const start = Number(rows[0]!.ts);
    const hours = (Number(rows.at(-1)!.ts) - start) / HOUR_MS + 1;
    const columns = Object.fromEntries(
      COLUMNS.map((c) => [c, new Float64Array(hours).fill(Number.NaN)]),
    ) as Record<Column, Float64Array>;
    for (const row of rows) {
      const h = (Number(row.ts) - start) / HOUR_MS;
      for (const c of COLUMNS) if (row[c] !== null) columns[c][h] = Number(row[c]);
    }
    return { start, columns };
  } finally {
    await client.end();
  }
}

const t0 = performance.now();
const { start, columns } = await readFrame();
const readMs = performance.now() - t0;
const hours = columns.net_load_mw.length;

const t1 = performance.now();
const stress = computeStress({ start, ...columns }, config.STRESS_WEIGHTS);
const newMs = performance.now() - t1;
// The score as first built for issue 15, before interconnector outages counted as lost headroom
// (the same components, with the interconnector term from the flows alone).
const flows = interconnectorFlows(columns);
const previous = combineStress(
  {
    ...stress.components,
    interconnector: flows.imports.map((x, h) => interconnectorTerm(x, flows.rating[h]!)),
  },
  config.STRESS_WEIGHTS,
).score;
const legacy = legacyStress({
  demand: columns.demand_mw,
  renew: columns.renew_mw,
  netLoad: columns.net_load_mw,
  price: columns.price_eur_mwh,
  snsp: columns.snsp,
});

const SCORES = {
  new: stress.score,
  prev: previous,
  old: legacy,
  net_load: columns.net_load_mw,
  price: columns.price_eur_mwh,
} as const;
type ScoreName = keyof typeof SCORES;
const NAMES = Object.keys(SCORES) as ScoreName[];

// Daily maxima by Irish local date, and the hour of the new score's maximum.
interface Day {
  max: Record<ScoreName, number>;
  count: Record<ScoreName, number>;
  peakHour: number;
}
const days = new Map<string, Day>();
for (let h = 0; h < hours; h++) {
  const ts = start + h * HOUR_MS;
  const date = isoDate(utcToIrishWallMs(ts));
  if (date < FIRST_DAY || date > LAST_DAY) continue;
  let day = days.get(date);
  if (!day) {
    day = {
      max: { new: -Infinity, prev: -Infinity, old: -Infinity, net_load: -Infinity, price: -Infinity },
      count: { new: 0, prev: 0, old: 0, net_load: 0, price: 0 },
      peakHour: -1,
    };
    days.set(date, day);
  }
  for (const name of NAMES) {
    const v = SCORES[name][h]!;
    if (Number.isNaN(v)) continue;
    day.count[name]++;
    if (v > day.max[name]) {
      day.max[name] = v;
      if (name === 'new') day.peakHour = h;
    }
  }
}
const kept = [...days.entries()].filter(([, d]) => NAMES.every((n) => d.count[n] >= MIN_HOURS));
const dates = kept.map(([date]) => date);

/** Percentile rank of x among the values: share below plus half the ties, in percent. */
function percentile(values: number[], x: number): number {
  let below = 0;
  let equal = 0;
  for (const v of values) {
    if (v < x) below++;
    else if (v === x) equal++;
  }
  return (100 * (below + equal / 2)) / values.length;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const maxima = Object.fromEntries(NAMES.map((n) => [n, kept.map(([, d]) => d.max[n])])) as Record<
  ScoreName,
  number[]
>;
const alertSet = new Set(ALERT_DAYS.map((a) => a.date));
const fmt = (x: number, w = 6, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-').padStart(w);

console.log(
  `stress vs the operator's System Alert days: region ${region}, ${dates.length} days ${dates[0]} .. ${dates.at(-1)} ` +
    `(days with >= ${MIN_HOURS} h of every compared series), weights ${JSON.stringify(config.STRESS_WEIGHTS)}`,
);
console.log(`read ${hours} hours in ${readMs.toFixed(0)} ms; new score computed in ${newMs.toFixed(0)} ms\n`);
console.log("percentile rank of the alert day's maximum among all days (100 = the most stressed day)");
console.log(
  `${'date'.padEnd(11)} ${NAMES.map((n) => n.padStart(9)).join('')}   new max  peak hour (UTC)   components at the peak`,
);
const ranks: Record<ScoreName, number[]> = { new: [], prev: [], old: [], net_load: [], price: [] };
for (const alert of ALERT_DAYS) {
  const day = days.get(alert.date);
  if (!day || !dates.includes(alert.date)) {
    console.log(`${alert.date}  (not in the data)`);
    continue;
  }
  const cells = NAMES.map((n) => {
    const p = percentile(maxima[n], day.max[n]);
    ranks[n].push(p);
    return fmt(p, 9);
  });
  const peak = day.peakHour;
  const parts = STRESS_COMPONENTS.map((c) => `${c} ${fmt(stress.components[c][peak]!, 5, 2)}`).join(' ');
  console.log(
    `${alert.date} ${cells.join('')}  ${fmt(day.max.new, 7, 2)}  ${new Date(start + peak * HOUR_MS).toISOString().slice(0, 13)}   ${parts}`,
  );
}
console.log(`${'median'.padEnd(11)} ${NAMES.map((n) => fmt(median(ranks[n]), 9)).join('')}`);
console.log(`${'min'.padEnd(11)} ${NAMES.map((n) => fmt(Math.min(...ranks[n]), 9)).join('')}`);
console.log(
  `${'>= 95th'.padEnd(11)} ${NAMES.map((n) => `${ranks[n].filter((p) => p >= 95).length}/${ranks[n].length}`.padStart(9)).join('')}`,
);
console.log(
  `excluded (not a margin alert): ${EXCLUDED_ALERT_DAYS.map((a) => `${a.date} ${a.note}`).join('; ')}\n`,
);

// False alarms, threshold-free: non-alert days ranked at or above the median alert day.
console.log("non-alert days per year whose maximum reaches the median alert day's maximum");
const years = [...new Set(dates.map((d) => d.slice(0, 4)))];
console.log(`${'year'.padEnd(6)} ${'days'.padStart(5)} ${NAMES.map((n) => n.padStart(9)).join('')}`);
const medianAlertMax = Object.fromEntries(
  NAMES.map((n) => [
    n,
    median(ALERT_DAYS.filter((a) => dates.includes(a.date)).map((a) => days.get(a.date)!.max[n])),
  ]),
) as Record<ScoreName, number>;
for (const year of years) {
  const inYear = kept.filter(([d]) => d.startsWith(year) && !alertSet.has(d));
  const cells = NAMES.map((n) =>
    String(inYear.filter(([, d]) => d.max[n] >= medianAlertMax[n]).length).padStart(9),
  );
  console.log(`${year.padEnd(6)} ${String(inYear.length).padStart(5)} ${cells.join('')}`);
}

// Days per year in each band (by the day's maximum), alert days apart.
const threshold = config.STRESS_ALERT_THRESHOLD;
console.log(
  `\ndays per year by their maximum score (alert band: >= STRESS_ALERT_THRESHOLD ${threshold}); alert days in brackets`,
);
const bandFloors = stressBandFloors(threshold);
const floors = [bandFloors.elevated, bandFloors.high, bandFloors.critical];
console.log(
  `${'year'.padEnd(6)} ${['new', 'prev', 'old'].flatMap((n) => floors.map((f) => `${n}>=${f}`.padStart(11))).join('')}`,
);
for (const year of years) {
  const inYear = kept.filter(([d]) => d.startsWith(year));
  const cells = (['new', 'prev', 'old'] as const).flatMap((n) =>
    floors.map((f) => {
      const hits = inYear.filter(([, d]) => d.max[n] >= f);
      const alerts = hits.filter(([d]) => alertSet.has(d)).length;
      return `${hits.length - alerts} [${alerts}]`.padStart(11);
    }),
  );
  console.log(`${year.padEnd(6)} ${cells.join('')}`);
}

// Share of hours in each band, over every hour with a score (what a band means in practice).
console.log('\nshare of hours at or above each band floor, all hours with a score');
for (const n of ['new', 'prev', 'old'] as const) {
  const values = [...SCORES[n]].filter((v) => !Number.isNaN(v));
  const cells = floors.map(
    (f) => `>= ${f}: ${((100 * values.filter((v) => v >= f).length) / values.length).toFixed(2)} %`,
  );
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  console.log(
    `${n.padEnd(4)} ${values.length} h  mean ${mean.toFixed(2)} sd ${sd.toFixed(2)}  ${cells.join('  ')}`,
  );
}
