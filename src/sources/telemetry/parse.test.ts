import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDcgridError, type DcgridError } from '../../lib/errors.js';
import type { ParseResult } from '../types.js';
import { telemetrySource } from './index.js';
import { parseTelemetryCsv, parseTelemetryFile } from './parse.js';
import { telemetryRowsOf, writeTelemetryCsv, type TelemetryRow } from './write.js';
import { errorOf } from '../../lib/test-support/errors.js';

const SAMPLE = fileURLToPath(new URL('./fixtures/dc-load-sample.csv', import.meta.url));
const Q = 900_000;

const values = (result: ParseResult) => result.records.map((r) => r.value);

describe('telemetry CSV: the sample meter export', () => {
  it('reads naive Irish local times across the autumn clock change and sums the two sites', async () => {
    const result = await parseTelemetryFile(SAMPLE, { displayName: 'dc-load-sample.csv' });
    expect(result.source).toBe('telemetry');
    expect(result.quality.rowsRead).toBe(32);
    const start = Date.UTC(2025, 9, 25, 23, 0);
    // 16 quarter-hours in a row in UTC: the repeated local hour 01:00-01:45 becomes two UTC hours.
    expect(result.records.map((r) => r.tsUtc)).toEqual(Array.from({ length: 16 }, (_, k) => start + k * Q));
    expect(
      result.records.every((r) => r.series === 'dc_load_mw' && r.region === 'IE' && r.intervalMin === 15),
    ).toBe(true);
    expect(result.records[0]!.value).toBe(59.95);
    expect(result.records[8]).toMatchObject({ tsUtc: Date.UTC(2025, 9, 26, 1, 0), value: 62.75 });
    expect(result.quality.dstDays).toEqual(['2025-10-26']);
    expect(result.quality.notes).toEqual([
      '32 timestamp(s) without an offset read as Irish local time',
      '8 timestamp(s) in the repeated autumn hour read as its second (GMT) occurrence',
      'IE: summed 2 sites (DUB-A, DUB-B) at each timestamp',
    ]);
  });

  it('reads the same load from UTC, offset and naive local timestamps', () => {
    const rows: TelemetryRow[] = Array.from({ length: 12 }, (_, k) => ({
      tsUtc: Date.UTC(2025, 2, 30, 0, 0) + k * Q,
      mw: 30 + k,
    }));
    const [utc, offset, naive] = (['utc', 'offset', 'naive-local'] as const).map((style) =>
      parseTelemetryCsv(writeTelemetryCsv(rows, style), style),
    );
    expect(offset!.records).toEqual(utc!.records);
    expect(naive!.records).toEqual(utc!.records);
    expect(utc!.records).toHaveLength(12);
  });
});

describe('telemetry CSV: columns, steps and regions', () => {
  it('accepts ts and load_mw in any case and takes the step from the spacing', () => {
    for (const step of [5, 30, 60]) {
      const lines = ['TS,Load_MW'];
      for (let k = 0; k < 6; k++)
        lines.push(`${new Date(Date.UTC(2025, 0, 1) + k * step * 60_000).toISOString()},${10 + k}`);
      const result = parseTelemetryCsv(lines.join('\n'), `step-${step}.csv`);
      expect(result.records.map((r) => r.intervalMin)).toEqual(Array(6).fill(step));
    }
  });

  it('keeps the step across a gap and notes the gap', () => {
    const times = [0, 1, 2, 6, 7].map((k) => `2025-01-01T00:${String(k * 5).padStart(2, '0')}:00Z`);
    const result = parseTelemetryCsv(
      ['timestamp,mw', ...times.map((t) => `${t},12.5`)].join('\n'),
      'gap.csv',
    );
    expect(result.records.every((r) => r.intervalMin === 5)).toBe(true);
    expect(result.quality.notes).toContain(
      'IE: no readings in 1 stretch(es): 2025-01-01T00:15Z to 2025-01-01T00:30Z',
    );
  });

  it('keeps regions apart, reads ROI as IE and rejects an unknown region', () => {
    const text = [
      'timestamp,mw,region',
      '2025-01-01T00:00:00Z,10,ROI',
      '2025-01-01T01:00:00Z,11,ie',
      '2025-01-01T00:00:00Z,3,NI',
      '2025-01-01T01:00:00Z,4,NI',
    ].join('\n');
    const result = parseTelemetryCsv(text, 'regions.csv');
    expect(result.records.map((r) => `${r.region} ${r.value}`)).toEqual(['IE 10', 'IE 11', 'NI 3', 'NI 4']);
    const error = errorOf(() =>
      parseTelemetryCsv('timestamp,mw,Region\n2025-01-01T00:00:00Z,1,GB\n', 'gb.csv'),
    );
    expect(error.code).toBe('E_REGION_UNKNOWN');
    expect(error.location).toEqual({ file: 'gb.csv', line: 2, column: 'Region' });
  });

  it('leaves a total missing where a site in service has no reading, not where it had not started', () => {
    const text = [
      'timestamp,mw,site',
      '2025-01-01T00:00:00Z,10,a',
      '2025-01-01T01:00:00Z,10,a',
      '2025-01-01T02:00:00Z,10,a',
      '2025-01-01T03:00:00Z,10,a',
      '2025-01-01T01:00:00Z,5,b',
      '2025-01-01T03:00:00Z,5,b',
      '2025-01-01T03:00:00Z,,c',
    ].join('\n');
    const result = parseTelemetryCsv(text, 'sites.csv');
    expect(values(result)).toEqual([10, 15, null, null]);
    expect(result.quality.emptyValues).toBe(1);
    expect(result.quality.notes).toContain(
      'IE: 1 timestamp(s) left missing because a site had no reading within its span',
    );
  });

  it('refuses a value at a naive local time inside the spring gap, naming the line', () => {
    const text = [
      'timestamp,mw',
      '2025-03-30 00:45:00,20',
      '2025-03-30 01:30:00,21',
      '2025-03-30 02:00:00,22',
    ].join('\n');
    const error = errorOf(() => parseTelemetryCsv(text, 'spring.csv'));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'spring.csv', line: 3, column: 'timestamp' });
    expect(error.message).toContain('never happened');
  });

  it('drops empty lines at naive local times inside the spring gap and counts them', () => {
    const text = [
      'timestamp,mw',
      '2025-03-30 00:45:00,20',
      '2025-03-30 01:30:00,',
      '2025-03-30 02:00:00,22',
    ].join('\n');
    const result = parseTelemetryCsv(text, 'spring.csv');
    expect(result.quality.dstGapRowsDropped).toBe(1);
    expect(result.records.map((r) => r.tsUtc)).toEqual([
      Date.UTC(2025, 2, 30, 0, 45),
      Date.UTC(2025, 2, 30, 1, 0),
    ]);
    expect(result.records.every((r) => r.intervalMin === 15)).toBe(true);
    expect(result.quality.notes).toContain(
      'dropped 1 empty row(s) whose local time never happened (spring clock change): lines 3',
    );
  });
});

describe('telemetry CSV: bad input', () => {
  it('names the row and column of a negative, NaN or text load and of a bad timestamp', () => {
    const cases: Array<[string, string, string]> = [
      ['2025-01-01T01:00:00Z,-3', 'mw', 'cannot be negative'],
      ['2025-01-01T01:00:00Z,NaN', 'mw', 'is not a number'],
      ['2025-01-01T01:00:00Z,lots', 'mw', 'is not a number'],
      ['yesterday,3', 'timestamp', 'is not a date-time'],
    ];
    for (const [line, column, message] of cases) {
      const error = errorOf(() =>
        parseTelemetryCsv(`timestamp,mw\n2025-01-01T00:00:00Z,1\n${line}\n`, 'bad.csv'),
      );
      expect(error.code).toBe('E_VALUE_INVALID');
      expect(error.location).toEqual({ file: 'bad.csv', line: 3, column });
      expect(error.message).toContain(message);
    }
  });

  it('drops an exact repeat and names both rows of a conflicting one', () => {
    const base = 'timestamp,mw,site\n2025-01-01T00:00:00Z,1,a\n2025-01-01T01:00:00Z,2,a\n';
    expect(parseTelemetryCsv(`${base}2025-01-01T00:00:00Z,1,a\n`, 'r.csv').quality.duplicatesDropped).toBe(1);
    const error = errorOf(() => parseTelemetryCsv(`${base}2025-01-01T00:00:00+00:00,9,a\n`, 'c.csv'));
    expect(error.code).toBe('E_DUPLICATE_CONFLICT');
    expect(error.message).toContain('lines 2 and 4');
  });

  it('refuses sites metered at different steps and readings off the grid', () => {
    const at = (minute: number) => new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString();
    const mixed = [
      'timestamp,mw,site',
      ...[0, 15, 30, 45, 60, 75, 90].map((m) => `${at(m)},1,a`),
      ...[0, 30, 60, 90].map((m) => `${at(m)},1,b`),
    ].join('\n');
    const steps = errorOf(() => parseTelemetryCsv(mixed, 'm.csv'));
    expect(steps.code).toBe('E_INPUT_CORRUPT');
    expect(steps.message).toContain('different steps (site "a" 15 min, site "b" 30 min)');
    const offGrid = ['timestamp,mw', ...[0, 15, 37, 45, 60, 75, 90, 105].map((m) => `${at(m)},1`)].join('\n');
    const error = errorOf(() => parseTelemetryCsv(offGrid, 'o.csv'));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'o.csv', line: 4, column: 'timestamp' });
  });

  it('names missing columns and rejects empty files', () => {
    const error = errorOf(() => parseTelemetryCsv('time,load\n2025-01-01T00:00:00Z,1\n', 'h.csv'));
    expect(error.code).toBe('E_HEADER_MISSING');
    expect(error.message).toContain('"timestamp", "mw"');
    expect(errorOf(() => parseTelemetryCsv('', 'e.csv')).code).toBe('E_INPUT_EMPTY');
    expect(errorOf(() => parseTelemetryCsv('timestamp,mw\n', 'e.csv')).code).toBe('E_INPUT_EMPTY');
  });
});

describe('telemetrySource', () => {
  it('has nothing to download and says how to supply the file', async () => {
    const error = await telemetrySource
      .download({ cacheDir: tmpdir(), from: 0, to: 1 })
      .catch((e: unknown) => e as DcgridError);
    expect(isDcgridError(error, 'E_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/your own metered load.*CSV file/);
  });

  it('discovers CSV files under telemetry/ and reads what telemetryRowsOf writes', async () => {
    const raw = await mkdtemp(join(tmpdir(), 'dcgrid-telemetry-'));
    try {
      const observations = [0, 1, 2].map((h) => ({
        series: 'dc_load_mw' as const,
        region: 'IE' as const,
        tsUtc: Date.UTC(2025, 5, 1, h),
        intervalMin: 60,
        value: 40 + h,
      }));
      await writeFile(join(raw, 'notes.txt'), 'not telemetry');
      expect(await telemetrySource.discover(raw)).toEqual([]);
      await mkdir(join(raw, 'telemetry'));
      await writeFile(
        join(raw, 'telemetry', 'site-b.csv'),
        writeTelemetryCsv(telemetryRowsOf(observations), 'offset'),
      );
      await writeFile(join(raw, 'telemetry', 'Site-A.CSV'), writeTelemetryCsv(telemetryRowsOf(observations)));
      const files = await telemetrySource.discover(raw);
      expect(files).toEqual([join(raw, 'telemetry', 'Site-A.CSV'), join(raw, 'telemetry', 'site-b.csv')]);
      expect((await telemetrySource.parse(files[1]!)).records).toEqual(observations);
    } finally {
      await rm(raw, { recursive: true, force: true });
    }
  });
});
