import { join } from 'node:path';
import { listRawFiles } from '../raw-files.js';
import type { CsoFigure, SourceAdapter } from '../types.js';
import { downloadCso } from './download.js';
import { parseCsoFile } from './parse.js';

export { mergeCsoFigures } from './merge.js';
export { PUBLISHED_CSO_FIGURES } from './published-figures.js';

/** CSO data-centre electricity figures: the transcribed table and the PxStat MEC02 export. */
export const csoSource: SourceAdapter<CsoFigure> = {
  name: 'cso',
  /** Every CSV under `<rawDir>/cso/`, in name order. */
  async discover(rawDir) {
    return listRawFiles(join(rawDir, 'cso'), (name) => name.toLowerCase().endsWith('.csv'));
  },
  parse: parseCsoFile,
  download: downloadCso,
};
