import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardSource } from './index.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));

describe('dashboardSource.discover', () => {
  it('finds the CSV exports, then the recorded JSON answers', async () => {
    expect(dashboardSource.name).toBe('dashboard');
    const files = await dashboardSource.discover(RAW);
    expect(files).toHaveLength(38);
    expect(basename(files[0]!)).toBe('ALL_SnspALL_21_Eirgrid.csv');
    expect(
      files.slice(0, 30).every((f) => f.includes('/eirgrid-smartgriddashboard/') && f.endsWith('.csv')),
    ).toBe(true);
    expect(files.slice(30).map((f) => basename(f))).toEqual([
      'consumption.json',
      'consumptionForecast.json',
      'exchange.json',
      'generation.json',
      'solarForecast.json',
      'solarProduction.json',
      'windForecast.json',
      'windProduction.json',
    ]);
  });

  it('copes with missing folders and ignores other files', async () => {
    const raw = await mkdtemp(join(tmpdir(), 'dcgrid-dbdisc-'));
    expect(await dashboardSource.discover(raw)).toEqual([]);
    await mkdir(join(raw, 'eirgrid-smartgriddashboard'));
    await writeFile(join(raw, 'eirgrid-smartgriddashboard', 'README.md'), 'x');
    await writeFile(join(raw, 'eirgrid-smartgriddashboard', 'ROI_windactual_25_Eirgrid.csv'), 'x');
    expect(await dashboardSource.discover(raw)).toEqual([
      join(raw, 'eirgrid-smartgriddashboard', 'ROI_windactual_25_Eirgrid.csv'),
    ]);
  });
});
