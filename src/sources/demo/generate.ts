/**
 * The offline demo data set: synthetic grid data (synthetic.ts) written as raw files in the real
 * sources' formats and folder layout, so the demo goes through exactly the same parsers as real
 * data. Written once per generator version under DCGRID_HOME; later runs reuse it.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOUR_MS, QUARTER_HOUR_MS } from '../../lib/time.js';
import { writeDashboardFile } from '../dashboard/write.js';
import { DASHBOARD_CSV_FOLDER } from '../dashboard/index.js';
import { writeSystemDataWorkbook } from '../eirgrid-workbook/write.js';
import { WORKBOOK_RAW_FOLDER } from '../eirgrid-workbook/index.js';
import { writeEmberCsv } from '../ember/write.js';
import { writeSemopxTableCsv } from '../semopx/write.js';
import type { Observation, SeriesName } from '../types.js';
import type { Region } from '../../config/config.js';
import { generateSyntheticGrid, seededRandom, type SyntheticGrid } from './synthetic.js';

export const DEMO_VERSION = 'v1';
export const DEMO_FROM = Date.UTC(2022, 6, 1);
export const DEMO_TO = Date.UTC(2025, 0, 1);
/** Solar reporting began in April 2023 in the real data; the demo keeps that trap. */
const SOLAR_FROM = Date.UTC(2023, 3, 1);
const EMBER_TO = Date.UTC(2024, 9, 1);
const SEMOPX_FROM = Date.UTC(2024, 6, 1);
const WORKBOOK_DAYS = 60;

export const DEMO_NOTE =
  "offline demo: SYNTHETIC data made by dcgrid's generator (src/sources/demo) in the real sources' formats, " +
  `${new Date(DEMO_FROM).toISOString().slice(0, 10)} to ${new Date(DEMO_TO).toISOString().slice(0, 10)}, with the real CSO figures; ` +
  'not measurements. Use --raw-dir ../shared/data/raw (real files) or --download for real data.';

function observations(
  grid: SyntheticGrid,
  series: SeriesName,
  region: Region,
  values: Float64Array,
  from: number,
  to: number,
  stepQuarters = 1,
): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i + stepQuarters <= grid.ts.length; i += stepQuarters) {
    const ts = grid.ts[i]!;
    if (ts < from || ts >= to) continue;
    let sum = 0;
    for (let q = 0; q < stepQuarters; q++) sum += values[i + q]!;
    out.push({
      series,
      region,
      tsUtc: ts,
      intervalMin: 15 * stepQuarters,
      value: Math.round((sum / stepQuarters) * 1e4) / 1e4,
    });
  }
  return out;
}

function yearsOf(from: number, to: number): number[] {
  const years: number[] = [];
  for (let y = new Date(from).getUTCFullYear(); y <= new Date(to - 1).getUTCFullYear(); y++) years.push(y);
  return years;
}

export interface DemoRange {
  from: number;
  to: number;
}

/** Writes the demo raw folder into `dir` (tests pass a shorter range). */
export async function writeDemoRawDir(
  dir: string,
  range: DemoRange = { from: DEMO_FROM, to: DEMO_TO },
): Promise<void> {
  const { from: start, to: end } = range;
  const grid = generateSyntheticGrid(start, end);
  const dashboardDir = join(dir, DASHBOARD_CSV_FOLDER);
  const files: Array<[string, SeriesName, Region, Float64Array, number, number]> = [
    ['ROI_demandactual', 'demand_mw', 'IE', grid.demandIe, start, end],
    ['ROI_windactual', 'wind_mw', 'IE', grid.windIe, start, end],
    ['ROI_solaractual', 'solar_mw', 'IE', grid.solarIe, SOLAR_FROM, end],
    ['ROI_co2intensity', 'co2_intensity', 'IE', grid.co2Ie, start, end],
    ['ROI_interconnection', 'ic_ewic_mw', 'IE', grid.ewic, start, end],
  ];
  for (const year of yearsOf(start, end)) {
    const yearFrom = Math.max(start, Date.UTC(year, 0, 1));
    const yearTo = Math.min(end, Date.UTC(year + 1, 0, 1));
    const yy = String(year % 100).padStart(2, '0');
    for (const [prefix, series, region, values, from, to] of files) {
      const records = observations(
        grid,
        series,
        region,
        values,
        Math.max(from, yearFrom),
        Math.min(to, yearTo),
      );
      if (records.length > 0)
        await writeDashboardFile(join(dashboardDir, `${prefix}_${yy}_Eirgrid.csv`), records, 'csv');
    }
    const snsp = observations(grid, 'snsp', 'ALL', grid.snsp, yearFrom, yearTo, 2);
    await writeDashboardFile(join(dashboardDir, `ALL_SnspALL_${yy}_Eirgrid.csv`), snsp, 'csv');
  }

  // The workbook covers the last weeks, IE and NI, and reads a little differently from the
  // dashboard (as the real ones do), so precedence and the disagreement report have work to do.
  const workbookFrom = end - WORKBOOK_DAYS * 24 * HOUR_MS;
  const jitter = seededRandom(7);
  const perturbed = Float64Array.from(
    grid.demandIe,
    (v) => Math.round((v + (jitter() - 0.5) * 60) * 10) / 10,
  );
  const workbook = [
    ...observations(grid, 'demand_mw', 'IE', perturbed, workbookFrom, end),
    ...observations(grid, 'wind_mw', 'IE', grid.windIe, workbookFrom, end),
    ...observations(grid, 'solar_mw', 'IE', grid.solarIe, workbookFrom, end),
    ...observations(grid, 'demand_mw', 'NI', grid.demandNi, workbookFrom, end),
    ...observations(grid, 'wind_mw', 'NI', grid.windNi, workbookFrom, end),
    ...observations(grid, 'solar_mw', 'NI', grid.solarNi, workbookFrom, end),
  ];
  const year = new Date(workbookFrom).getUTCFullYear();
  await writeSystemDataWorkbook(
    join(dir, WORKBOOK_RAW_FOLDER, `System-Data-Qtr-Hourly-${year}.xlsx`),
    workbook,
  );

  const prices = (from: number, to: number): Observation[] => {
    const out: Observation[] = [];
    for (let h = 0; h < grid.hourTs.length; h++) {
      const ts = grid.hourTs[h]!;
      if (ts >= from && ts < to)
        out.push({
          series: 'price_eur_mwh',
          region: 'IE',
          tsUtc: ts,
          intervalMin: 60,
          value: grid.price[h]!,
        });
    }
    return out;
  };
  const ember = prices(start, Math.min(end, EMBER_TO));
  if (ember.length > 0) {
    await mkdir(join(dir, 'ember'), { recursive: true });
    await writeFile(join(dir, 'ember', 'Ireland.csv'), writeEmberCsv(ember));
  }
  const semopx = prices(Math.max(start, SEMOPX_FROM), end);
  if (semopx.length > 0) {
    await mkdir(join(dir, 'semopx'), { recursive: true });
    await writeFile(
      join(dir, 'semopx', 'semopx_day_ahead_index_prices_demo.csv'),
      writeSemopxTableCsv(semopx),
    );
  }
  await writeFile(
    join(dir, 'README.md'),
    `# dcgrid demo data (${DEMO_VERSION})\n\n${DEMO_NOTE}\n\nQuarter-hours: ${grid.ts.length} (${QUARTER_HOUR_MS / 60000} min).\n`,
  );
}

/** The demo raw folder under `home`, generated on first use. */
export async function ensureDemoRawDir(home: string): Promise<string> {
  const dir = join(home, `demo-raw-${DEMO_VERSION}`);
  if (existsSync(join(dir, 'README.md'))) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await writeDemoRawDir(partial);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return dir;
}
