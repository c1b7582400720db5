import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceAdapter } from '../types.js';
import { downloadEmber, EMBER_COUNTRY_FILE } from './download.js';
import { parseEmberFile } from './parse.js';

/** Ember hourly SEM day-ahead prices (Ireland.csv), corrected to true UTC hours. */
export const emberSource: SourceAdapter = {
  name: 'ember',
  /** `<rawDir>/ember/Ireland.csv` (the name compared without regard to case). */
  async discover(rawDir) {
    const folder = join(rawDir, 'ember');
    const names = await readdir(folder).catch(() => [] as string[]);
    return names
      .filter((name) => name.toLowerCase() === EMBER_COUNTRY_FILE.toLowerCase())
      .sort()
      .map((name) => join(folder, name));
  },
  parse: parseEmberFile,
  download: downloadEmber,
};
