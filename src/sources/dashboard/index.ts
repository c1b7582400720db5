/**
 * Source adapter for the EirGrid Smart Grid Dashboard (CSV exports and both JSON endpoints).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceAdapter } from '../types.js';
import { downloadDashboard } from './download.js';
import { parseDashboardFile } from './parse.js';

/** Raw-data folders: the CSV exports, and recorded API answers (JSON). */
export const DASHBOARD_CSV_FOLDER = 'eirgrid-smartgriddashboard';
export const DASHBOARD_JSON_FOLDER = 'smartgriddashboard-api-samples';

async function filesIn(folder: string, extension: RegExp): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && extension.test(entry.name))
    .map((entry) => join(folder, entry.name))
    .sort();
}

/** The CSVs under eirgrid-smartgriddashboard/, then the JSON files under smartgriddashboard-api-samples/. */
export async function discoverDashboardFiles(rawDir: string): Promise<string[]> {
  return [
    ...(await filesIn(join(rawDir, DASHBOARD_CSV_FOLDER), /\.csv$/i)),
    ...(await filesIn(join(rawDir, DASHBOARD_JSON_FOLDER), /\.json$/i)),
  ];
}

export const dashboardSource: SourceAdapter = {
  name: 'dashboard',
  discover: discoverDashboardFiles,
  parse: parseDashboardFile,
  download: downloadDashboard,
};
