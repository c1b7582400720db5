/**
 * Writes CSO figures in the two formats parseCsoText reads: the transcribed figures table and a
 * PxStat MEC02 CSV export (quarterly figures only; MEC02 has no annual rows). Used for test
 * fixtures and the offline demo data.
 */
import { csvField } from '../csv-lines.js';
import type { CsoFigure } from '../types.js';
import { TRANSCRIBED_HEADER } from './parse.js';

export function writeTranscribedCsv(figures: readonly CsoFigure[]): string {
  const lines = [TRANSCRIBED_HEADER];
  for (const f of figures) {
    const quarter = f.quarter === null ? '' : `Q${f.quarter}`;
    lines.push(
      [String(f.year), quarter, f.metric, String(f.value), f.unit, f.status, f.sourceUrl, f.note]
        .map((v) => csvField(v))
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** MEC02's classification of consumers: code and label, as the PxStat table has them. */
const MEC02_CATEGORIES = [
  { code: '-', label: 'All metered electricity consumption' },
  { code: '10', label: 'Data centres' },
  { code: '20', label: 'Customers other than data centres' },
] as const;

export const MEC02_HEADER = [
  'STATISTIC',
  'Statistic Label',
  'TLIST(Q1)',
  'Quarter',
  'C03907V04659',
  'Electricity Consumption',
  'UNIT',
  'VALUE',
];

/**
 * Quarterly data-centre and total consumption as a PxStat CSV export, every field quoted as
 * PxStat writes it; "Customers other than data centres" is total minus data centres.
 */
export function writeMec02Csv(
  figures: readonly CsoFigure[],
  statisticLabel = 'Metered Electricity Consumption',
): string {
  const quarterly = (metric: CsoFigure['metric']) =>
    new Map(
      figures
        .filter((f) => f.metric === metric && f.quarter !== null)
        .map((f) => [`${f.year}${f.quarter}`, f.value] as const),
    );
  const dc = quarterly('data_centre_consumption');
  const total = quarterly('total_metered_electricity_consumption');
  const periods = [...new Set([...dc.keys(), ...total.keys()])].sort();
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const lines = [MEC02_HEADER.map(quote).join(',')];
  for (const period of periods) {
    const all = total.get(period);
    const centres = dc.get(period);
    const values = [all, centres, all !== undefined && centres !== undefined ? all - centres : undefined];
    MEC02_CATEGORIES.forEach((category, i) => {
      const value = values[i];
      const label = `${period.slice(0, 4)}Q${period.slice(4)}`;
      const row = [
        'MEC02',
        statisticLabel,
        period,
        label,
        category.code,
        category.label,
        'GWh',
        value === undefined ? '' : String(value),
      ];
      lines.push(row.map(quote).join(','));
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}
