import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceAdapter } from '../types.js';
import { downloadTelemetry } from './download.js';
import { parseTelemetryFile } from './parse.js';

/** Metered data-centre load supplied by the user (series dc_load_mw). */
export const telemetrySource: SourceAdapter = {
  name: 'telemetry',
  /** Every CSV under `<rawDir>/telemetry/`, in name order. */
  async discover(rawDir) {
    const folder = join(rawDir, 'telemetry');
    const names = await readdir(folder).catch(() => [] as string[]);
    return names
      .filter((name) => name.toLowerCase().endsWith('.csv'))
      .sort()
      .map((name) => join(folder, name));
  },
  parse: parseTelemetryFile,
  download: downloadTelemetry,
};
