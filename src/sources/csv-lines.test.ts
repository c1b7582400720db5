import { describe, expect, it } from 'vitest';
import { isDcgridError, type DcgridError } from '../lib/errors.js';
import {
  csvField,
  parseDateTimeCell,
  parseIsoDateTime,
  parseNumberCell,
  readCsvRecords,
  resolveColumns,
  utcMsOf,
} from './csv-lines.js';

const records = (text: string, delimiter?: string) => [...readCsvRecords(text, { delimiter, file: 'f.csv' })];

describe('readCsvRecords', () => {
  it('splits plain lines and numbers rows as an editor does, skipping blank lines', () => {
    expect(records('\ufeffa,b\r\n1,2\n\n3,\n')).toEqual([
      { fields: ['a', 'b'], row: 1 },
      { fields: ['1', '2'], row: 2 },
      { fields: ['3', ''], row: 4 },
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    expect(records('"x, y","say ""hi"""\n"two\nlines",z\nlast,1')).toEqual([
      { fields: ['x, y', 'say "hi"'], row: 1 },
      { fields: ['two\nlines', 'z'], row: 2 },
      { fields: ['last', '1'], row: 4 },
    ]);
  });

  it('takes another delimiter', () => {
    expect(records('Index prices;30;EUR\n1,5;2,25', ';')).toEqual([
      { fields: ['Index prices', '30', 'EUR'], row: 1 },
      { fields: ['1,5', '2,25'], row: 2 },
    ]);
  });

  it('fails on a quote that is never closed, naming the row', () => {
    const error = (() => {
      try {
        records('a\n"open,1\n2');
      } catch (e) {
        return e as DcgridError;
      }
    })();
    expect(isDcgridError(error, 'E_INPUT_CORRUPT')).toBe(true);
    expect(error?.location).toEqual({ file: 'f.csv', line: 2 });
  });

  it('writes fields that read back unchanged', () => {
    const fields = ['plain', 'a,b', 'say "x"', 'two\nlines'];
    expect(records(fields.map((f) => csvField(f)).join(','))[0]!.fields).toEqual(fields);
  });
});

describe('resolveColumns', () => {
  const spec = {
    ts: { name: 'timestamp', aliases: ['ts'] },
    mw: { name: 'mw', aliases: ['load_mw'] },
    site: { name: 'site', optional: true },
  };

  it('matches names and aliases without regard to case or spaces', () => {
    expect(resolveColumns([' TS ', 'Load_MW'], spec, { file: 'f', line: 1 })).toEqual({
      ts: 0,
      mw: 1,
      site: -1,
    });
  });

  it('names every missing required column and shows the header', () => {
    try {
      resolveColumns(['when', 'site'], spec, { file: 'f.csv', line: 1 });
      expect.unreachable();
    } catch (error) {
      expect(isDcgridError(error, 'E_HEADER_MISSING')).toBe(true);
      expect((error as Error).message).toBe(
        'f.csv, line 1, column "timestamp, mw": missing column(s) "timestamp", "mw"; the header is: when, site',
      );
    }
  });
});

describe('parseNumberCell', () => {
  const where = { file: 'f.csv', line: 7, column: 'mw' };

  it('reads decimals, exponents, a decimal comma, and empty as missing', () => {
    expect(parseNumberCell(' 12.5 ', where)).toBe(12.5);
    expect(parseNumberCell('-3e2', where)).toBe(-300);
    expect(parseNumberCell('.5', where)).toBe(0.5);
    expect(parseNumberCell('275,94', where, true)).toBe(275.94);
    expect(parseNumberCell('  ', where)).toBeNull();
  });

  it('rejects text, hex, infinities and NaN at the cell', () => {
    for (const text of ['abc', '0x10', 'Infinity', 'NaN', '1,5', '12 MW']) {
      try {
        parseNumberCell(text, where);
        expect.unreachable(text);
      } catch (error) {
        expect(isDcgridError(error, 'E_VALUE_INVALID')).toBe(true);
        expect((error as DcgridError).location).toEqual(where);
      }
    }
  });
});

describe('parseIsoDateTime', () => {
  it('reads UTC, offsets and naive wall times', () => {
    expect(parseIsoDateTime('2025-01-01T00:00:00Z')).toEqual({ wallMs: Date.UTC(2025, 0, 1), offsetMin: 0 });
    expect(parseIsoDateTime('2025-07-01 13:30:00+01:00')).toEqual({
      wallMs: Date.UTC(2025, 6, 1, 13, 30),
      offsetMin: 60,
    });
    expect(parseIsoDateTime('2025-07-01T13:30-0530')).toEqual({
      wallMs: Date.UTC(2025, 6, 1, 13, 30),
      offsetMin: -330,
    });
    expect(parseIsoDateTime('2025-07-01T13:30:15.25+01')?.offsetMin).toBe(60);
    expect(parseIsoDateTime('2025-07-01T13:30:15.25+01')?.wallMs).toBe(Date.UTC(2025, 6, 1, 13, 30, 15, 250));
    expect(parseIsoDateTime(' 2024-02-29 23:59 ')).toEqual({
      wallMs: Date.UTC(2024, 1, 29, 23, 59),
      offsetMin: null,
    });
    expect(utcMsOf(parseIsoDateTime('2025-07-01T13:30:00+01:00')!)).toBe(Date.UTC(2025, 6, 1, 12, 30));
  });

  it('rejects impossible dates and other shapes', () => {
    for (const text of [
      '2023-02-29 00:00',
      '2025-13-01 00:00',
      '2025-04-31 00:00',
      '2025-01-01 24:00',
      '2025-01-01 10:60',
      '2025-01-01',
      '01-Jan-2025 00:00:00',
      '2025-01-01T00:00:00Zx',
      '2025-01-01T00:00:00+25:00',
      '2025/01/01 00:00',
    ]) {
      expect(parseIsoDateTime(text), text).toBeNull();
    }
  });

  it('names the cell when asked to fail', () => {
    expect(() => parseDateTimeCell('soon', { file: 'f.csv', line: 3, column: 'ts' })).toThrow(
      'f.csv, line 3, column "ts": "soon" is not a date-time',
    );
  });
});
