/**
 * Feature build over ten years of synthetic IE data shaped like the real sources (dashboard demand
 * and wind at 15 min, all-island SNSP at 30 min, an hourly price, one year of workbook demand that
 * overlaps the dashboard), about 1 M readings and 87.7k hours. Two baselines in the same run, the
 * work no build can skip: (a) the hourly means alone (aggregateHourly over every series) and
 * (b) materialising as many plain 30-field row objects as the build returns. Prints wall and CPU
 * time (process.cpuUsage: less sensitive to other processes on a shared machine), the median of
 * several runs each, and the ratio of the build to (a) + (b).
 *
 *   npx tsx bench/features.ts [--years 10] [--repeats 5]
 */
import { parseArgs } from 'node:util';
import { buildFeatures, type SeriesPoints } from '../src/features/build.js';
import { aggregateHourly, valueHourRange } from '../src/features/hourly.js';
import { loadConfig, type Region } from '../src/config/config.js';
import type { SeriesName, SourceName } from '../src/sources/types.js';
import { HOUR_MS } from '../src/lib/time.js';
import { readTranscribedCso } from '../src/features/test-support/cso-csv.js';

const { values: args } = parseArgs({
  options: { years: { type: 'string', default: '10' }, repeats: { type: 'string', default: '5' } },
});
const years = Number(args.years);
const repeats = Number(args.repeats);
const START = Date.UTC(2015, 0, 1);
const END = Date.UTC(2015 + years, 0, 1);

function series(
  source: SourceName,
  name: SeriesName,
  region: Region,
  from: number,
  to: number,
  intervalMin: number,
  f: (t: number, i: number) => number,
): SeriesPoints {
  const n = Math.floor((to - from) / (intervalMin * 60_000));
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = from + i * intervalMin * 60_000;
    // About one reading in 2000 published as missing.
    values[i] = (i * 7919) % 2003 === 0 ? Number.NaN : f(ts[i]!, i);
  }
  return { source, series: name, region, ts, intervalMin: new Int16Array(n).fill(intervalMin), values };
}

const day = (t: number) => Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);
const input: SeriesPoints[] = [
  series('dashboard', 'demand_mw', 'IE', START, END, 15, (t) => 4200 + 900 * day(t) + (t / HOUR_MS) * 0.005),
  series('dashboard', 'wind_mw', 'IE', START, END, 15, (t, i) => 1500 + 1200 * Math.sin(i / 900)),
  series('dashboard', 'snsp', 'ALL', START, END, 30, (t, i) => 0.45 + 0.25 * Math.sin(i / 400)),
  series('ember', 'price_eur_mwh', 'IE', START, END, 60, (t, i) => 90 + 60 * day(t) + 40 * Math.sin(i / 300)),
  series('eirgrid-workbook', 'demand_mw', 'IE', END - 366 * 86_400_000, END, 15, (t) => 4210 + 900 * day(t)),
];
const readings = input.reduce((s, p) => s + p.ts.length, 0);
const cso = readTranscribedCso();
const weights = loadConfig({}, { dotenv: false }).STRESS_WEIGHTS;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing {
  wall: number[];
  cpu: number[];
}

function time(fn: () => unknown): Timing {
  fn(); // warm-up (JIT)
  const timing: Timing = { wall: [], cpu: [] };
  for (let r = 0; r < repeats; r++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    fn();
    timing.wall.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    timing.cpu.push((used.user + used.system) / 1000);
  }
  return timing;
}

/** Plain objects with the same number of fields (22 doubles) as the build's rows. */
function plainRows(n: number): unknown[] {
  const rows = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const x = i * 0.37 + 0.5;
    rows[i] = {
      region: 'IE',
      ts: START + i * HOUR_MS,
      a: x,
      b: x + 1,
      c: x + 2,
      d: x + 3,
      e: x + 4,
      f: x + 5,
      g: x + 6,
      h: x + 7,
      i: x + 8,
      j: x + 9,
      k: x + 10,
      l: x + 11,
      m: x + 12,
      n: x + 13,
      o: x + 14,
      p: x + 15,
      q: x + 16,
      r: x + 17,
      s: x + 18,
      t: x + 19,
      u: x + 20,
      v: x + 21,
      w: null,
      x: true,
      y: 'proxy',
      z: 'normal',
      flags: [],
    };
  }
  return rows;
}

const means = time(() => {
  for (const p of input) {
    const range = valueHourRange(p)!;
    aggregateHourly(p, { start: START, hours: Math.round((range.last - START) / HOUR_MS) + 1 });
  }
});
let rows = 0;
const full = time(() => {
  rows = buildFeatures({ region: 'IE', series: input, cso, stressWeights: weights, stressAlertThreshold: 2 })
    .rows.length;
});
const objects = time(() => plainRows(rows));
const all = time(() =>
  buildFeatures({ region: 'ALL', series: input, cso, stressWeights: weights, stressAlertThreshold: 2 }),
);

const med = (xs: number[]) => median(xs).toFixed(0).padStart(5);
const line = (label: string, t: Timing) =>
  console.log(
    `${label.padEnd(34)} wall ${med(t.wall)} ms  cpu ${med(t.cpu)} ms  (wall runs ${t.wall.map((x) => x.toFixed(0)).join(' ')})`,
  );
console.log(
  `readings: ${readings.toLocaleString('en')}, IE rows: ${rows.toLocaleString('en')}, median of ${repeats}`,
);
line('baseline a: hourly means only', means);
line('baseline b: plain row objects', objects);
line('buildFeatures IE', full);
line('buildFeatures ALL', all);
console.log(
  `IE build / (a + b): wall ${(median(full.wall) / (median(means.wall) + median(objects.wall))).toFixed(2)}x, cpu ${(median(full.cpu) / (median(means.cpu) + median(objects.cpu))).toFixed(2)}x`,
);
