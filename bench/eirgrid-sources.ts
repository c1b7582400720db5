/**
 * Parse speed of the two EirGrid adapters.
 *
 * 1. Smart Grid Dashboard: every CSV of ../shared/data/raw/eirgrid-smartgriddashboard (about
 *    1 M rows). Baselines in the same run: the line splitter alone, and allocating the same
 *    number of Observation objects (the output no parser can avoid).
 * 2. System Data workbook: a full-year workbook in the 2026 layout (35,136 rows x 36 columns,
 *    written with write.ts into a temporary folder). Baseline in the same run: one saxes pass over
 *    the same worksheet stream with no handlers doing work. Also prints the peak RSS growth.
 *
 * Prints the median of several runs (CPU time and wall time) and the ratio to each baseline.
 *
 *   npx tsx bench/eirgrid-sources.ts [--repeats 3] [--skip-workbook]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SaxesParser } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import { parseDashboardText } from '../src/sources/dashboard/parse.js';
import { readCsvRows } from '../src/sources/dashboard/read-rows.js';
import { DATA_COLUMNS, FRACTION_SERIES } from '../src/sources/eirgrid-workbook/columns.js';
import { parseSystemDataWorkbook } from '../src/sources/eirgrid-workbook/parse.js';
import { writeSystemDataWorkbook } from '../src/sources/eirgrid-workbook/write.js';
import type { Observation } from '../src/sources/types.js';
import { openZip } from '../src/lib/zip-reader.js';
import { QUARTER_HOUR_MS } from '../src/lib/time.js';

const { values: args } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    'skip-workbook': { type: 'boolean', default: false },
  },
});
const repeats = Number(args.repeats);

interface Timing {
  cpuMs: number;
  wallMs: number;
}

async function measure(fn: () => unknown): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
}

async function median(fn: () => unknown): Promise<Timing> {
  const runs: Timing[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await measure(fn));
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { cpuMs: mid(runs.map((r) => r.cpuMs)), wallMs: mid(runs.map((r) => r.wallMs)) };
}

const show = (label: string, t: Timing, rows: number) =>
  console.log(
    `${label.padEnd(44)} cpu ${t.cpuMs.toFixed(0).padStart(6)} ms  wall ${t.wallMs.toFixed(0).padStart(6)} ms  ` +
      `${((rows / t.cpuMs) * 1000).toLocaleString('en', { maximumFractionDigits: 0 }).padStart(11)} rows/cpu-s`,
  );

async function dashboard(): Promise<void> {
  const folder = fileURLToPath(new URL('../../shared/data/raw/eirgrid-smartgriddashboard/', import.meta.url));
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
  let rows = 0;
  let records = 0;
  for (const { name, text } of files) {
    const result = parseDashboardText(text, name);
    rows += result.quality.rowsRead;
    records += result.records.length;
  }
  console.log(
    `\nSmart Grid Dashboard: ${files.length} CSV files, ${rows.toLocaleString('en')} rows -> ${records.toLocaleString('en')} observations`,
  );

  const parse = await median(() => {
    for (const { name, text } of files) parseDashboardText(text, name);
  });
  const split = await median(() => {
    let n = 0;
    for (const { name, text } of files) readCsvRows(text, () => n++, name);
  });
  const allocate = await median(() => {
    const kept: Observation[][] = [];
    for (let f = 0; f < files.length; f++) {
      const list: Observation[] = [];
      for (let i = 0; i < records / files.length; i++) {
        list.push({
          series: 'demand_mw',
          region: 'IE',
          tsUtc: 1.7e12 + i * QUARTER_HOUR_MS,
          intervalMin: 15,
          value: i,
        });
      }
      kept.push(list);
    }
    return kept.length;
  });
  show('parse (split + time/UTC + clean)', parse, rows);
  show('baseline: line splitter only', split, rows);
  show('baseline: allocate the observations only', allocate, rows);
  console.log(
    `parse / (splitter + allocation) = ${(parse.cpuMs / (split.cpuMs + allocate.cpuMs)).toFixed(2)} (cpu time)`,
  );
}

async function workbook(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dcgrid-bench-wb-'));
  const path = join(dir, 'System-Data-Qtr-Hourly-2024.xlsx');
  const observations: Observation[] = [];
  const start = Date.UTC(2024, 0, 1);
  const slots = 35_136;
  for (let i = 0; i < slots; i++) {
    const tsUtc = start + i * QUARTER_HOUR_MS;
    DATA_COLUMNS.forEach((column, c) => {
      const value = FRACTION_SERIES.has(column.series) ? ((i + c) % 100) / 100 : 100 * c + (i % 997) + 0.125;
      observations.push({ series: column.series, region: column.region, tsUtc, intervalMin: 15, value });
    });
  }
  await writeSystemDataWorkbook(path, observations);
  observations.length = 0;
  console.log(
    `\nSystem Data workbook: ${slots.toLocaleString('en')} rows x ${2 + DATA_COLUMNS.length} columns`,
  );

  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const parse = await median(() => parseSystemDataWorkbook(path));
  clearInterval(sampler);
  const sax = await median(async () => {
    const zip = await openZip(path);
    const parser = new SaxesParser({ position: false });
    let elements = 0;
    parser.on('opentag', () => elements++);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of await zip.open('xl/worksheets/sheet1.xml'))
      parser.write(decoder.write(chunk as Buffer));
    parser.close();
    zip.close();
    return elements;
  });
  show('parse (stream, cells, header, grid, records)', parse, slots);
  show('baseline: unzip + saxes pass, no work', sax, slots);
  console.log(`parse / baseline = ${(parse.cpuMs / sax.cpuMs).toFixed(2)} (cpu time)`);
  console.log(
    `peak RSS growth while parsing: ${((peak - rss0) / 2 ** 20).toFixed(0)} MiB (includes the 1.2 M observations returned)`,
  );
  await rm(dir, { recursive: true, force: true });
}

await dashboard();
if (!args['skip-workbook']) await workbook();
