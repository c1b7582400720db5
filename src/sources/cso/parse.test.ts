import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CsoFigure } from '../types.js';
import { CSO_METRIC_UNITS, CSO_STATUSES, figureKey, MEC02_CSV_URL } from './figures.js';
import { mergeCsoFigures } from './merge.js';
import { parseCsoFile, parseCsoText, TRANSCRIBED_HEADER } from './parse.js';
import { PUBLISHED_CSO_FIGURES } from './published-figures.js';
import { writeMec02Csv, writeTranscribedCsv } from './write.js';
import { errorOf } from '../../lib/test-support/errors.js';

const TRANSCRIBED = fileURLToPath(
  new URL(
    '../../../../shared/data/raw/cso/cso_data_centres_published_figures_TRANSCRIBED.csv',
    import.meta.url,
  ),
);
const MEC02 = fileURLToPath(new URL('./fixtures/MEC02-sample.csv', import.meta.url));

const byKey = (figures: readonly CsoFigure[]) =>
  [...figures].sort((a, b) => figureKey(a).localeCompare(figureKey(b)));
const get = (
  figures: readonly CsoFigure[],
  year: number,
  quarter: number | null,
  metric: CsoFigure['metric'],
) => figures.find((f) => f.year === year && f.quarter === quarter && f.metric === metric);

describe('the published CSO figures table', () => {
  it('holds exactly the figures of the transcribed file, statuses and sources included', async () => {
    const parsed = await parseCsoFile(TRANSCRIBED);
    expect(parsed.source).toBe('cso');
    expect(parsed.quality.rowsRead).toBe(29);
    expect(byKey(PUBLISHED_CSO_FIGURES)).toEqual(byKey(parsed.records));
  });

  it('gives every figure a known status, the unit of its metric and a web source', () => {
    for (const figure of PUBLISHED_CSO_FIGURES) {
      expect(CSO_STATUSES).toContain(figure.status);
      expect(figure.unit).toBe(CSO_METRIC_UNITS[figure.metric]);
      expect(figure.sourceUrl).toMatch(/^https:\/\//);
    }
    expect(get(PUBLISHED_CSO_FIGURES, 2022, 4, 'data_centre_consumption')).toMatchObject({
      value: 1450,
      status: 'published',
    });
    expect(new Set(PUBLISHED_CSO_FIGURES.map(figureKey)).size).toBe(PUBLISHED_CSO_FIGURES.length);
  });

  it('round-trips through the transcribed writer', () => {
    const parsed = parseCsoText(writeTranscribedCsv(PUBLISHED_CSO_FIGURES), 'written.csv');
    expect(parsed.records).toEqual([...PUBLISHED_CSO_FIGURES]);
  });
});

describe('transcribed figures: bad input', () => {
  const line = (cells: string) => `${TRANSCRIBED_HEADER}\n${cells}\n`;
  const good = '2022,Q4,data_centre_consumption,1450,GWh,published,https://www.cso.ie/x,';

  it('names the row and column of a bad cell', () => {
    const cases: Array<[string, string]> = [
      ['2022,Q4,data_centre_consumption,lots,GWh,published,https://x,', 'value'],
      ['2022,Q5,data_centre_consumption,1450,GWh,published,https://x,', 'quarter'],
      ['2022,Q4,data_centre_power,1450,GWh,published,https://x,', 'metric'],
      ['2022,Q4,data_centre_consumption,1450,percent,published,https://x,', 'unit'],
      ['2022,Q4,data_centre_consumption,1450,GWh,rumour,https://x,', 'status'],
      ['22,Q4,data_centre_consumption,1450,GWh,published,https://x,', 'year'],
    ];
    for (const [cells, column] of cases) {
      const error = errorOf(() => parseCsoText(line(cells), 'bad.csv'));
      expect(error.code, column).toBe('E_VALUE_INVALID');
      expect(error.location).toEqual({ file: 'bad.csv', line: 2, column });
    }
  });

  it('drops an identical repeat and names both rows of a conflicting one', () => {
    expect(parseCsoText(`${TRANSCRIBED_HEADER}\n${good}\n${good}\n`, 'r.csv').quality.duplicatesDropped).toBe(
      1,
    );
    const conflict = `${TRANSCRIBED_HEADER}\n${good}\n${good.replace('1450', '1451')}\n`;
    const error = errorOf(() => parseCsoText(conflict, 'c.csv'));
    expect(error.code).toBe('E_DUPLICATE_CONFLICT');
    expect(error.message).toContain('lines 2 and 3');
  });

  it('names missing columns and rejects empty files', () => {
    const error = errorOf(() => parseCsoText('year,metric,value\n2022,x,1\n', 'h.csv'));
    expect(error.code).toBe('E_HEADER_MISSING');
    expect(error.message).toContain('"quarter", "unit", "status", "source_url"');
    expect(error.message).toContain('PxStat');
    expect(errorOf(() => parseCsoText('', 'e.csv')).code).toBe('E_INPUT_EMPTY');
    expect(errorOf(() => parseCsoText(`${TRANSCRIBED_HEADER}\n`, 'e.csv')).code).toBe('E_INPUT_EMPTY');
  });
});

describe('PxStat MEC02 CSV', () => {
  it('reads quarterly figures, sums whole years and works out the annual share', async () => {
    const parsed = await parseCsoFile(MEC02);
    const figures = parsed.records;
    expect(parsed.quality.rowsRead).toBe(24);
    expect(parsed.quality.notes).toEqual([]);
    expect(figures.every((f) => f.status === 'pxstat' && f.sourceUrl === MEC02_CSV_URL)).toBe(true);
    expect(figures.filter((f) => f.quarter !== null)).toHaveLength(16);
    expect(get(figures, 2015, 1, 'data_centre_consumption')).toMatchObject({ value: 290, unit: 'GWh' });
    expect(get(figures, 2024, 4, 'total_metered_electricity_consumption')?.value).toBe(8108);
    expect(get(figures, 2015, null, 'data_centre_consumption')?.value).toBe(1238);
    expect(get(figures, 2024, null, 'total_metered_electricity_consumption')?.value).toBe(31_904);
    expect(get(figures, 2024, null, 'data_centre_share_of_total_metered_electricity')).toMatchObject({
      value: 21.85,
      unit: 'percent',
    });
  });

  it('finds its rows by label whatever the column order and code column names', async () => {
    const text = await readFile(MEC02, 'utf8');
    const rows = text
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    // Reverse the columns and rename the classification code column; values stay the same.
    const shuffled = rows
      .map((cells) => [...cells].reverse().join(','))
      .join('\n')
      .replace('"C03907V04659"', '"C99999V99999"');
    expect(byKey(parseCsoText(shuffled, 's.csv').records)).toEqual(
      byKey((await parseCsoFile(MEC02)).records),
    );
    // Without an "Electricity Consumption" header the category column is the one saying "Data centres".
    const renamed = text
      .replace('"Electricity Consumption"', '"Consumer"')
      .replace('"TLIST(Q1)"', '"Period code"');
    expect(byKey(parseCsoText(renamed, 'r.csv').records)).toEqual(byKey((await parseCsoFile(MEC02)).records));
  });

  it('skips unpublished values, other units and categories, and checks the parts add up', () => {
    const figures: CsoFigure[] = [
      {
        year: 2020,
        quarter: 1,
        metric: 'data_centre_consumption',
        value: 700,
        unit: 'GWh',
        status: 'pxstat',
        sourceUrl: '',
        note: '',
      },
      {
        year: 2020,
        quarter: 1,
        metric: 'total_metered_electricity_consumption',
        value: 7000,
        unit: 'GWh',
        status: 'pxstat',
        sourceUrl: '',
        note: '',
      },
      {
        year: 2020,
        quarter: 2,
        metric: 'data_centre_consumption',
        value: 710,
        unit: 'GWh',
        status: 'pxstat',
        sourceUrl: '',
        note: '',
      },
    ];
    let text = writeMec02Csv(figures);
    text = text.replace(
      '"Customers other than data centres","GWh","6300"',
      '"Customers other than data centres","GWh","6200"',
    );
    text += '"MEC02","x","20201","2020Q1","30","Households","GWh","100"\r\n';
    text += '"MEC02b","x","20201","2020Q1","10","Data centres","%","10"\r\n';
    text += '"MEC02","x","20203","2020Q3","10","Data centres","GWh",".."\r\n';
    const parsed = parseCsoText(text, 'mixed.csv');
    expect(parsed.records.map((f) => `${f.year}Q${f.quarter} ${f.metric} ${f.value}`)).toEqual([
      '2020Q1 data_centre_consumption 700',
      '2020Q1 total_metered_electricity_consumption 7000',
      '2020Q2 data_centre_consumption 710',
    ]);
    expect(parsed.quality.emptyValues).toBe(3);
    expect(parsed.quality.notes).toEqual([
      'skipped 1 row(s) with category "Households"',
      'skipped 1 row(s) with unit "%"',
      'data centres + other customers differ from all metered consumption by more than 1 GWh in 2020Q1',
    ]);
  });

  it('names the row and column of a bad value or quarter, and both rows of a conflict', () => {
    const header = '"STATISTIC","TLIST(Q1)","Quarter","Electricity Consumption","UNIT","VALUE"';
    const row = (quarter: string, value: string) =>
      `"MEC02","${quarter.replace('Q', '')}","${quarter}","Data centres","GWh","${value}"`;
    const text = errorOf(() =>
      parseCsoText(`${header}\n${row('2020Q1', '700')}\n${row('2020Q2', 'n/a')}\n`, 'v.csv'),
    );
    expect(text.code).toBe('E_VALUE_INVALID');
    expect(text.location).toEqual({ file: 'v.csv', line: 3, column: 'VALUE' });
    const period = errorOf(() =>
      parseCsoText(`${header}\n"MEC02","2020","2020","Data centres","GWh","1"\n`, 'p.csv'),
    );
    expect(period.code).toBe('E_VALUE_INVALID');
    expect(period.location).toEqual({ file: 'p.csv', line: 2, column: 'TLIST(Q1)' });
    const conflict = errorOf(() =>
      parseCsoText(`${header}\n${row('2020Q1', '700')}\n${row('2020Q1', '701')}\n`, 'd.csv'),
    );
    expect(conflict.code).toBe('E_DUPLICATE_CONFLICT');
    expect(conflict.message).toContain('lines 2 and 3');
  });
});

describe('mergeCsoFigures', () => {
  it('lets MEC02 figures replace transcribed ones of the same period and metric and adds the rest', async () => {
    const mec02 = (await parseCsoFile(MEC02)).records;
    const { figures, overriddenByPxstat } = mergeCsoFigures(PUBLISHED_CSO_FIGURES, mec02);
    // 2015 Q1, 2015 and 2024 annual consumption, totals and shares, 2024 Q4.
    expect(overriddenByPxstat).toBe(8);
    expect(figures).toHaveLength(PUBLISHED_CSO_FIGURES.length + mec02.length - 8);
    expect(get(figures, 2024, 4, 'data_centre_consumption')).toMatchObject({ value: 1830, status: 'pxstat' });
    expect(get(figures, 2024, 4, 'data_centre_consumption')?.note).toContain(
      'replaces 1829 GWh (published_in_press',
    );
    expect(get(figures, 2024, null, 'data_centre_share_of_total_metered_electricity')?.value).toBe(21.85);
    expect(get(figures, 2024, 2, 'data_centre_consumption')).toMatchObject({ value: 1700, status: 'pxstat' });
    expect(get(figures, 2023, null, 'data_centre_consumption')).toMatchObject({
      value: 6334,
      status: 'published_in_press',
    });
    expect(get(figures, 2023, null, 'large_energy_users_consumption')?.value).toBe(9102);
    expect(new Set(figures.map(figureKey)).size).toBe(figures.length);
  });

  it('changes nothing without MEC02 figures', () => {
    const { figures, overriddenByPxstat } = mergeCsoFigures(PUBLISHED_CSO_FIGURES, []);
    expect(overriddenByPxstat).toBe(0);
    expect(byKey(figures)).toEqual(byKey(PUBLISHED_CSO_FIGURES));
  });
});
