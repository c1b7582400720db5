import { describe, expect, it } from 'vitest';
import {
  columnIndex,
  columnLetters,
  isDateFormat,
  parseCellRef,
  serialToWallMs,
  wallMsToSerial,
} from './cells.js';

describe('column letters', () => {
  it('converts between letters and 0-based indexes', () => {
    expect(columnIndex('A')).toBe(0);
    expect(columnIndex('Z')).toBe(25);
    expect(columnIndex('AA')).toBe(26);
    expect(columnIndex('AJ')).toBe(35);
    expect(columnIndex('XFD')).toBe(16_383);
    expect(columnIndex('a1')).toBe(-1);
    for (const index of [0, 1, 25, 26, 51, 52, 701, 702, 16_383]) {
      expect(columnIndex(columnLetters(index))).toBe(index);
    }
    expect(columnLetters(35)).toBe('AJ');
  });

  it('splits a cell reference', () => {
    expect(parseCellRef('H57')).toEqual({ column: 7, row: 57 });
    expect(parseCellRef('AB4801')).toEqual({ column: 27, row: 4801 });
    expect(parseCellRef('C')).toEqual({ column: 2, row: NaN });
  });
});

describe('date serials', () => {
  it('reads the 1900 system with the float noise EirGrid serials carry', () => {
    expect(new Date(serialToWallMs(45292)).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new Date(serialToWallMs(45292.01041666666)).toISOString()).toBe('2024-01-01T00:15:00.000Z');
    expect(new Date(serialToWallMs(45341.98958333334)).toISOString()).toBe('2024-02-19T23:45:00.000Z');
  });

  it('reads the 1904 system', () => {
    expect(new Date(serialToWallMs(45292 - 1462, true)).toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('round-trips wall times', () => {
    const wall = Date.UTC(2024, 9, 27, 1, 45);
    expect(serialToWallMs(wallMsToSerial(wall))).toBe(wall);
    expect(serialToWallMs(wallMsToSerial(wall, true), true)).toBe(wall);
  });
});

describe('isDateFormat', () => {
  it('knows the built-in date formats', () => {
    expect(isDateFormat(14, undefined)).toBe(true);
    expect(isDateFormat(22, undefined)).toBe(true);
    expect(isDateFormat(0, undefined)).toBe(false);
    expect(isDateFormat(2, undefined)).toBe(false);
  });

  it('reads custom format codes', () => {
    expect(isDateFormat(164, 'dd/mm/yyyy hh:mm')).toBe(true);
    expect(isDateFormat(165, '[$-409]d-mmm-yy;@')).toBe(true);
    expect(isDateFormat(166, '[h]:mm:ss')).toBe(true);
    expect(isDateFormat(167, '0.00')).toBe(false);
    expect(isDateFormat(168, '[Red]#,##0.0')).toBe(false);
    expect(isDateFormat(169, '0.0" days"')).toBe(false);
    expect(isDateFormat(170, 'General')).toBe(false);
  });
});
