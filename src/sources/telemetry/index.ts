import { join } from 'node:path';
import { listRawFiles } from '../raw-files.js';
import type { SourceAdapter } from '../types.js';
import { downloadTelemetry } from './download.js';
import { parseTelemetryFile } from './parse.js';

/** Metered data-centre load supplied by the user (series dc_load_mw). */
export const telemetrySource: SourceAdapter = {
  name: 'telemetry',
  /** Every CSV under `<rawDir>/telemetry/`, in name order. */
  async discover(rawDir) {
    return listRawFiles(join(rawDir, 'telemetry'), (name) => name.toLowerCase().endsWith('.csv'));
  },
  parse: parseTelemetryFile,
  download: downloadTelemetry,
};
