import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
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
    const folder = join(rawDir, 'cso');
    const names = await readdir(folder).catch(() => [] as string[]);
    return names
      .filter((name) => name.toLowerCase().endsWith('.csv'))
      .sort()
      .map((name) => join(folder, name));
  },
  parse: parseCsoFile,
  download: downloadCso,
};
