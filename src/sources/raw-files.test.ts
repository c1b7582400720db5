import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failure } from '../lib/test-support/errors.js';
import { TIME_SERIES_SOURCES, csoSource } from './index.js';
import { listRawFiles } from './raw-files.js';

describe('listRawFiles', () => {
  it('follows links to files, skips folders and names a broken link', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-raw-files-'));
    const elsewhere = join(root, 'elsewhere');
    const folder = join(root, 'ember');
    await mkdir(elsewhere);
    await mkdir(folder);
    await writeFile(join(elsewhere, 'real.csv'), 'x\n');
    await writeFile(join(folder, 'b.csv'), 'x\n');
    await symlink(join(elsewhere, 'real.csv'), join(folder, 'a.csv'));
    await symlink(elsewhere, join(folder, 'dir.csv'));
    await writeFile(join(folder, 'c.txt'), 'x\n');
    const csv = (name: string) => name.endsWith('.csv');
    expect(await listRawFiles(folder, csv)).toEqual([join(folder, 'a.csv'), join(folder, 'b.csv')]);
    expect(await listRawFiles(join(root, 'absent'), csv)).toEqual([]);

    await symlink(join(root, 'gone.csv'), join(folder, 'broken.csv'));
    const error = await failure(listRawFiles(folder, csv));
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.location.file).toBe(join(folder, 'broken.csv'));
    expect(error.message).toContain('ENOENT');
  });

  it('every source discovers files that are links (a raw folder assembled from links)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-raw-links-'));
    const store = join(root, 'store');
    await mkdir(store);
    const layout: Array<[string, string]> = [
      ['eirgrid-system-data-qtr-hourly', 'System-Data-Qtr-Hourly-2024.xlsx'],
      ['eirgrid-smartgriddashboard', 'ROI_demandactual_24_Eirgrid.csv'],
      ['semopx', 'semopx_day_ahead_index_prices_2025.csv'],
      ['ember', 'Ireland.csv'],
      ['cso', 'figures.csv'],
    ];
    for (const [folder, name] of layout) {
      await writeFile(join(store, name), 'x\n');
      await mkdir(join(root, 'raw', folder), { recursive: true });
      await symlink(join(store, name), join(root, 'raw', folder, name));
    }
    const found = [
      ...(await Promise.all(TIME_SERIES_SOURCES.map((s) => s.discover(join(root, 'raw'))))).flat(),
      ...(await csoSource.discover(join(root, 'raw'))),
    ];
    expect(found.map((f) => f.split('/').pop()).sort()).toEqual(layout.map(([, name]) => name).sort());
  });
});
