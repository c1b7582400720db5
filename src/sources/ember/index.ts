import { join } from 'node:path';
import { listRawFiles } from '../raw-files.js';
import type { SourceAdapter } from '../types.js';
import { downloadEmber, EMBER_COUNTRY_FILE } from './download.js';
import { parseEmberFile } from './parse.js';

/** Ember hourly SEM day-ahead prices (Ireland.csv), corrected to true UTC hours. */
export const emberSource: SourceAdapter = {
  name: 'ember',
  /** `<rawDir>/ember/Ireland.csv` (the name compared without regard to case). */
  async discover(rawDir) {
    return listRawFiles(
      join(rawDir, 'ember'),
      (name) => name.toLowerCase() === EMBER_COUNTRY_FILE.toLowerCase(),
    );
  },
  parse: parseEmberFile,
  download: downloadEmber,
};
