/**
 * Source adapter for EirGrid's "System Data Qtr Hourly" workbooks.
 */
import { join } from 'node:path';
import { listRawFiles } from '../raw-files.js';
import type { SourceAdapter } from '../types.js';
import { downloadSystemDataWorkbooks } from './download.js';
import { parseSystemDataWorkbook } from './parse.js';

/** The raw-data folder that holds the workbooks. */
export const WORKBOOK_RAW_FOLDER = 'eirgrid-system-data-qtr-hourly';

/** The .xlsx files under `<rawDir>/eirgrid-system-data-qtr-hourly/`, by name (Excel lock files skipped). */
export async function discoverWorkbooks(rawDir: string): Promise<string[]> {
  return listRawFiles(
    join(rawDir, WORKBOOK_RAW_FOLDER),
    (name) => /\.xlsx$/i.test(name) && !name.startsWith('~$'),
  );
}

export const eirgridWorkbookSource: SourceAdapter = {
  name: 'eirgrid-workbook',
  discover: discoverWorkbooks,
  parse: parseSystemDataWorkbook,
  download: downloadSystemDataWorkbooks,
};
