/**
 * Test helper: reads the transcribed CSO figures (../shared/data/raw/cso) into CsoFigure records.
 * A deliberately small RFC 4180 reader (quoted fields, doubled quotes); the real parser lives in src/sources.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CsoFigure } from '../../sources/types.js';

export const TRANSCRIBED_CSO_CSV = fileURLToPath(
  new URL(
    '../../../../shared/data/raw/cso/cso_data_centres_published_figures_TRANSCRIBED.csv',
    import.meta.url,
  ),
);

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export function readTranscribedCso(path = TRANSCRIBED_CSO_CSV): CsoFigure[] {
  const [header, ...lines] = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const names = splitCsvLine(header!);
  return lines.map((line) => {
    const cells = Object.fromEntries(splitCsvLine(line).map((v, i) => [names[i], v]));
    return {
      year: Number(cells.year),
      quarter: cells.quarter ? Number(cells.quarter!.replace(/^Q/, '')) : null,
      metric: cells.metric as CsoFigure['metric'],
      value: Number(cells.value),
      unit: cells.unit as CsoFigure['unit'],
      status: cells.status!,
      sourceUrl: cells.source_url!,
      note: cells.note ?? '',
    };
  });
}
