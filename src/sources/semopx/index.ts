import { join } from 'node:path';
import { listRawFiles } from '../raw-files.js';
import type { SourceAdapter } from '../types.js';
import { downloadSemopx } from './download.js';
import { parseSemopxFile } from './parse.js';

/** Files under `<rawDir>/semopx/` this adapter reads. */
export const SEMOPX_FILE_PATTERNS = [
  /^semopx_day_ahead_index_prices.*\.csv$/i,
  /^MarketResult_SEM-DA_.*\.(csv|json)$/i,
];

/** SEM day-ahead index prices (SEMOpx), ROI-DA as region IE and NI-DA as region NI. */
export const semopxSource: SourceAdapter = {
  name: 'semopx',
  async discover(rawDir) {
    return listRawFiles(join(rawDir, 'semopx'), (name) =>
      SEMOPX_FILE_PATTERNS.some((pattern) => pattern.test(name)),
    );
  },
  parse: parseSemopxFile,
  download: downloadSemopx,
};
