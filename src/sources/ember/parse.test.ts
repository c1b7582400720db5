import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDcgridError, type DcgridError } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import type { Observation, ParseResult } from '../types.js';
import { findConstantRuns } from './flat-fills.js';
import { parseEmberCsv, parseEmberFile } from './parse.js';
import { EMBER_HEADER, writeEmberCsv } from './write.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/Ireland-sample.csv', import.meta.url));

function hourly(fromUtc: number, values: (number | null)[]): Observation[] {
  return values.map((value, h) => ({
    series: 'price_eur_mwh',
    region: 'IE',
    tsUtc: fromUtc + h * HOUR_MS,
    intervalMin: 60,
    value,
  }));
}

function expectError(run: () => unknown, code: string): DcgridError {
  try {
    run();
  } catch (error) {
    expect(isDcgridError(error)).toBe(true);
    expect((error as DcgridError).code).toBe(code);
    return error as DcgridError;
  }
  throw new Error(`expected ${code}`);
}

describe('Ember Ireland.csv, the real file', () => {
  let result: ParseResult;
  const at = (iso: string) => result.records.find((r) => r.tsUtc === Date.parse(iso));

  it('reads every row and shifts the first hour back to the I-SEM go-live', async () => {
    result = await parseEmberFile(`${RAW}ember/Ireland.csv`);
    expect(result.source).toBe('ember');
    expect(result.quality.rowsRead).toBe(64_969);
    expect(result.records).toHaveLength(64_969);
    // Trading day 1 Oct 2018 starts 23:00 IST on 30 Sep = 22:00 UTC; Ember writes 2018-10-01 22:00.
    expect(result.records[0]).toEqual({
      series: 'price_eur_mwh',
      region: 'IE',
      tsUtc: Date.parse('2018-09-30T22:00:00Z'),
      intervalMin: 60,
      value: 71.27,
    });
    expect(result.quality.notes[0]).toMatch(/shifted by -24 h/);
  });

  it('has no gaps and agrees with its own local-time column', () => {
    const steps = result.records.slice(1).map((r, i) => r.tsUtc - result.records[i]!.tsUtc);
    expect(steps.filter((step) => step !== HOUR_MS)).toEqual([]);
    expect(result.quality.notes.some((n) => n.includes('Datetime (Local)'))).toBe(false);
    expect(result.quality.notes.some((n) => n.startsWith('no rows'))).toBe(false);
    expect(result.quality.dstDays).toContain('2018-10-28');
    expect(result.quality.dstDays).toContain('2025-03-30');
  });

  it('finds the 745-hour flat fill of 146.0 and turns it into missing values', () => {
    const fill = result.quality.flatFills.find((f) => f.hours === 745);
    // SOURCES.md gives 2023-07-02 21:00 in Ember's own (late) time.
    expect(fill).toEqual({
      series: 'price_eur_mwh',
      from: Date.parse('2023-07-01T21:00:00Z'),
      to: Date.parse('2023-08-01T22:00:00Z'),
      value: 146,
      hours: 745,
    });
    expect(at('2023-07-01T20:00:00Z')?.value).not.toBeNull();
    expect(at('2023-07-01T21:00:00Z')?.value).toBeNull();
    expect(at('2023-08-01T21:00:00Z')?.value).toBeNull();
    expect(at('2023-08-01T22:00:00Z')?.value).not.toBeNull();
    const nulls = result.records.filter((r) => r.value === null).length;
    expect(nulls).toBe(result.quality.flatFills.reduce((sum, f) => sum + f.hours, 0));
  });

  it('flags the known month-boundary and 2022 runs, keeps the 15 h of 0.0', () => {
    const hoursByStart = new Map(
      result.quality.flatFills.map((f) => [new Date(f.from).toISOString(), f.hours]),
    );
    expect(hoursByStart.get('2022-02-18T22:00:00.000Z')).toBe(25);
    expect(hoursByStart.get('2022-06-29T21:00:00.000Z')).toBe(73);
    expect(hoursByStart.get('2024-12-30T22:00:00.000Z')).toBe(25);
    expect(result.quality.flatFills.every((f) => f.hours >= 24)).toBe(true);
    expect(at('2025-08-31T01:00:00Z')?.value).toBe(0);
    expect(result.quality.notes.some((n) => n.includes('run of 15 identical'))).toBe(true);
  });

  it('gives known prices at known corrected hours', () => {
    // Ember row "2025-06-16 10:00:00" = SEMOpx ROI-DA 2025-06-15T10:00Z, 81.59 EUR/MWh.
    expect(at('2025-06-15T10:00:00Z')?.value).toBe(81.59);
    // Winter row "2024-01-15 18:00:00,2024-01-15 18:00:00,124.1".
    expect(at('2024-01-14T18:00:00Z')?.value).toBe(124.1);
    // Half-hourly era: the hour carries the first half-hour's price (SEMOpx 17:00Z 273.61, 17:30Z 275.62).
    expect(at('2025-10-15T17:00:00Z')?.value).toBe(273.61);
    expect(result.quality.notes.some((n) => n.includes("first half-hour's price"))).toBe(true);
  });
});

describe('parseEmberCsv', () => {
  const start = Date.UTC(2024, 0, 10, 0);

  it('round-trips what writeEmberCsv writes, late timestamps included', async () => {
    const sample = await parseEmberFile(FIXTURE, { displayName: 'Ireland-sample.csv' });
    expect(sample.file).toBe('Ireland-sample.csv');
    expect(sample.records).toHaveLength(48);
    expect(sample.records[0]!.tsUtc).toBe(Date.UTC(2024, 2, 30, 0));
    expect(sample.quality.dstDays).toEqual(['2024-03-31']);
    const again = parseEmberCsv(writeEmberCsv(sample.records), 'again');
    expect(again.records).toEqual(sample.records);
  });

  it('turns a 24-hour constant run into missing values and keeps a 23-hour one', () => {
    const values = [50, ...Array<number>(24).fill(80), 51, ...Array<number>(23).fill(70), 52];
    const parsed = parseEmberCsv(writeEmberCsv(hourly(start, values)), 'runs.csv');
    expect(parsed.quality.flatFills).toEqual([
      { series: 'price_eur_mwh', from: start + HOUR_MS, to: start + 25 * HOUR_MS, value: 80, hours: 24 },
    ]);
    expect(parsed.records.slice(1, 25).every((r) => r.value === null)).toBe(true);
    expect(parsed.records[25]!.value).toBe(51);
    expect(parsed.records.slice(26, 49).every((r) => r.value === 70)).toBe(true);
    expect(parsed.quality.notes.some((n) => n.includes('run of 23 identical'))).toBe(true);
  });

  it('drops an exact repeated row and rejects a conflicting one naming both rows', () => {
    const text = writeEmberCsv(hourly(start, [10, 11, 12]));
    const lines = text.trimEnd().split('\n');
    const repeated = parseEmberCsv([...lines, lines[2]].join('\n'), 'repeat.csv');
    expect(repeated.quality.duplicatesDropped).toBe(1);
    expect(repeated.records.map((r) => r.value)).toEqual([10, 11, 12]);

    const conflicting = [...lines, lines[2]!.replace(/,11\.0$/, ',99.0')].join('\n');
    const error = expectError(() => parseEmberCsv(conflicting, 'conflict.csv'), 'E_DUPLICATE_CONFLICT');
    expect(error.message).toContain('lines 3 and 5');
    expect(error.location).toMatchObject({ file: 'conflict.csv', line: 5 });
  });

  it('names the row and column of text in the price column', () => {
    const text = writeEmberCsv(hourly(start, [10, 11, 12])).replace(',11.0\n', ',n/a\n');
    const error = expectError(() => parseEmberCsv(text, 'bad.csv'), 'E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'bad.csv', line: 3, column: 'Price (EUR/MWhe)' });
    expect(error.message).toContain('"n/a" is not a number');
  });

  it('names the row and column of a broken timestamp', () => {
    const text = writeEmberCsv(hourly(start, [10, 11])).replace('2024-01-11 00:00:00', '2024-13-11 00:00:00');
    const error = expectError(() => parseEmberCsv(text, 'bad.csv'), 'E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'bad.csv', line: 2, column: 'Datetime (UTC)' });
  });

  it('names missing header columns', () => {
    const text = 'Country,ISO3 Code,Datetime (UTC),Price\nIreland,IRL,2024-01-01 00:00:00,1\n';
    const error = expectError(() => parseEmberCsv(text, 'header.csv'), 'E_HEADER_MISSING');
    expect(error.message).toContain('"Datetime (Local)"');
    expect(error.message).toContain('"Price (EUR/MWhe)"');
    expect(error.location).toMatchObject({ file: 'header.csv', line: 1 });
  });

  it('rejects an empty file and a header without rows', () => {
    expectError(() => parseEmberCsv('', 'empty.csv'), 'E_INPUT_EMPTY');
    expectError(() => parseEmberCsv(`${EMBER_HEADER}\n`, 'header-only.csv'), 'E_INPUT_EMPTY');
  });

  it('refuses another country file', () => {
    const text = `${EMBER_HEADER}\nGermany,DEU,2024-01-01 00:00:00,2024-01-01 01:00:00,60.1\n`;
    const error = expectError(() => parseEmberCsv(text, 'Germany.csv'), 'E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'Germany.csv', line: 2, column: 'Country' });
  });

  it('reports rows whose local time disagrees with UTC plus the Irish offset', () => {
    // 2024-07-01 12:00 UTC is 13:00 IST; the second row claims 12:00.
    const text = [
      EMBER_HEADER,
      'Ireland,IRL,2024-07-01 11:00:00,2024-07-01 12:00:00,90.5',
      'Ireland,IRL,2024-07-01 12:00:00,2024-07-01 12:00:00,91.5',
    ].join('\n');
    const parsed = parseEmberCsv(text, 'local.csv');
    expect(parsed.quality.notes).toContainEqual(expect.stringMatching(/disagrees .* on 1 row\(s\): 3$/));
    expect(parsed.records.map((r) => r.value)).toEqual([90.5, 91.5]);
  });

  it('keeps empty prices as missing and notes holes in the hours', () => {
    const text = writeEmberCsv(hourly(start, [10, null, 12]));
    const gap = text.trimEnd().split('\n');
    gap.splice(2, 1);
    const parsed = parseEmberCsv(text, 'empty-cell.csv');
    expect(parsed.quality.emptyValues).toBe(1);
    expect(parsed.records[1]!.value).toBeNull();
    const holed = parseEmberCsv(gap.join('\n'), 'gap.csv');
    expect(holed.quality.notes).toContain('no rows for 1 h from 2024-01-10T01:00Z');
  });
});

describe('findConstantRuns', () => {
  const ts = [0, 1, 2, 3, 4, 5, 7, 8].map((h) => h * HOUR_MS);

  it('ends a run at a missing value or a hole in the timestamps', () => {
    expect(findConstantRuns(ts, [5, 5, 5, null, 5, 5, 5, 5], HOUR_MS, 2)).toEqual([
      { start: 0, end: 3, value: 5 },
      { start: 4, end: 6, value: 5 },
      { start: 6, end: 8, value: 5 },
    ]);
    expect(findConstantRuns(ts, [1, 2, 3, 4, 5, 6, 7, 8], HOUR_MS, 2)).toEqual([]);
  });
});
