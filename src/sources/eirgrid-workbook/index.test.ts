import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eirgridWorkbookSource } from './index.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));

describe('eirgridWorkbookSource.discover', () => {
  it('finds the workbook of the raw folder', async () => {
    expect(eirgridWorkbookSource.name).toBe('eirgrid-workbook');
    expect(await eirgridWorkbookSource.discover(RAW)).toEqual([
      join(RAW, 'eirgrid-system-data-qtr-hourly', 'System-Data-Qtr-Hourly-2024-JanFeb.xlsx'),
    ]);
  });

  it('lists .xlsx files by name, skipping Excel lock files, and copes with a missing folder', async () => {
    const raw = await mkdtemp(join(tmpdir(), 'dcgrid-wbdisc-'));
    expect(await eirgridWorkbookSource.discover(raw)).toEqual([]);
    const folder = join(raw, 'eirgrid-system-data-qtr-hourly');
    await mkdir(folder);
    for (const name of [
      'System-Data-Qtr-Hourly-2025.xlsx',
      '~$System-Data-Qtr-Hourly-2025.xlsx',
      'a.XLSX',
      'notes.txt',
    ]) {
      await writeFile(join(folder, name), 'x');
    }
    expect(await eirgridWorkbookSource.discover(raw)).toEqual([
      join(folder, 'System-Data-Qtr-Hourly-2025.xlsx'),
      join(folder, 'a.XLSX'),
    ]);
  });
});
