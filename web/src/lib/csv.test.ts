import { describe, expect, it } from 'vitest';
import { seriesCsv, toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes fields with commas, quotes, line breaks or edge spaces; leaves missing values empty', () => {
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        ['x,y', 'say "hi"', null],
        [' pad', Number.NaN, 1.5],
      ],
    );
    expect(csv).toBe('a,b,c\r\n"x,y","say ""hi""",\r\n" pad",,1.5\r\n');
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/1 cells, header 2/);
  });
});

describe('seriesCsv', () => {
  it('writes one row per hour with the ISO time first', () => {
    const ts = [Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 1)];
    const csv = seriesCsv(ts, [
      { name: 'p50', values: [1, 2] },
      { name: 'p90', values: [3, Number.NaN] },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'ts_utc,p50,p90',
      '2024-01-01T00:00:00.000Z,1,3',
      '2024-01-01T01:00:00.000Z,2,',
      '',
    ]);
  });
});
