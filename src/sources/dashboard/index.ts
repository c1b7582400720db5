/**
 * Source adapter for the EirGrid Smart Grid Dashboard (CSV exports and both JSON endpoints).
 */
import { join } from 'node:path';
import { listRawFiles } from '../raw-files.js';
import type { SourceAdapter } from '../types.js';
import { downloadDashboard } from './download.js';
import { parseDashboardFile } from './parse.js';

/** Raw-data folders: the CSV exports, and recorded API answers (JSON). */
export const DASHBOARD_CSV_FOLDER = 'eirgrid-smartgriddashboard';
export const DASHBOARD_JSON_FOLDER = 'smartgriddashboard-api-samples';

/** The CSVs under eirgrid-smartgriddashboard/, then the JSON files under smartgriddashboard-api-samples/. */
export async function discoverDashboardFiles(rawDir: string): Promise<string[]> {
  return [
    ...(await listRawFiles(join(rawDir, DASHBOARD_CSV_FOLDER), (name) => /\.csv$/i.test(name))),
    ...(await listRawFiles(join(rawDir, DASHBOARD_JSON_FOLDER), (name) => /\.json$/i.test(name))),
  ];
}

export const dashboardSource: SourceAdapter = {
  name: 'dashboard',
  discover: discoverDashboardFiles,
  parse: parseDashboardFile,
  download: downloadDashboard,
};
