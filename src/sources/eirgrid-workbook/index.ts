/**
 * Source adapter for EirGrid's "System Data Qtr Hourly" workbooks.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceAdapter } from '../types.js';
import { downloadSystemDataWorkbooks } from './download.js';
import { parseSystemDataWorkbook } from './parse.js';

/** The raw-data folder that holds the workbooks. */
export const WORKBOOK_RAW_FOLDER = 'eirgrid-system-data-qtr-hourly';

/** The .xlsx files under `<rawDir>/eirgrid-system-data-qtr-hourly/`, by name (Excel lock files skipped). */
export async function discoverWorkbooks(rawDir: string): Promise<string[]> {
  const folder = join(rawDir, WORKBOOK_RAW_FOLDER);
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && /\.xlsx$/i.test(entry.name) && !entry.name.startsWith('~$'))
    .map((entry) => join(folder, entry.name))
    .sort();
}

export const eirgridWorkbookSource: SourceAdapter = {
  name: 'eirgrid-workbook',
  discover: discoverWorkbooks,
  parse: parseSystemDataWorkbook,
  download: downloadSystemDataWorkbooks,
};
