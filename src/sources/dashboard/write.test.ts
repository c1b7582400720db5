import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DcgridError } from '../../lib/errors.js';
import { HOUR_MS, QUARTER_HOUR_MS } from '../../lib/time.js';
import type { Observation } from '../types.js';
import { parseDashboardFile, parseDashboardText } from './parse.js';
import {
  formatApiJson,
  formatDashboardCsv,
  formatLegacyJson,
  toDashboardRows,
  writeDashboardFile,
} from './write.js';

/** Demand (15 min) and SNSP (30 min) over both clock-change days of 2024, UTC. */
function observations(): Observation[] {
  const list: Observation[] = [];
  for (const day of [Date.UTC(2024, 2, 31), Date.UTC(2024, 9, 27)]) {
    for (let ts = day - 2 * HOUR_MS; ts < day + 5 * HOUR_MS; ts += QUARTER_HOUR_MS) {
      const i = (ts - day) / QUARTER_HOUR_MS;
      list.push({
        series: 'demand_mw',
        region: 'IE',
        tsUtc: ts,
        intervalMin: 15,
        value: i === 3 ? null : 3000 + i,
      });
      if (ts % (2 * QUARTER_HOUR_MS) === 0) {
        list.push({
          series: 'snsp',
          region: 'ALL',
          tsUtc: ts,
          intervalMin: 30,
          value: Number((0.4 + i / 1000).toFixed(3)),
        });
      }
    }
  }
  return list;
}

const inAutumnGmtHour = (o: Observation) =>
  o.tsUtc >= Date.UTC(2024, 9, 27, 1) && o.tsUtc < Date.UTC(2024, 9, 27, 2);
const key = (o: Observation) => `${o.series} ${o.region} ${o.tsUtc}`;
const sorted = (list: readonly Observation[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));

describe('toDashboardRows / formatDashboardCsv', () => {
  it('writes the export format: local times, ROI/ALL codes, pandas floats, SNSP in percent', () => {
    const rows = toDashboardRows(observations());
    const csv = formatDashboardCsv(rows).split('\n');
    expect(csv).toContain('31-Mar-2024 00:00:00,SYSTEM_DEMAND,ROI,3000.0');
    expect(csv).toContain('31-Mar-2024 00:45:00,SYSTEM_DEMAND,ROI,');
    expect(csv).toContain('31-Mar-2024 00:00:00,SNSP_ALL,ALL,40.0');
    expect(csv).toContain('31-Mar-2024 02:00:00,SNSP_ALL,ALL,40.4');
    // The skipped spring hour is written as empty rows, for each field at its own step.
    expect(csv.filter((line) => line.startsWith('31-Mar-2024 01:'))).toEqual([
      '31-Mar-2024 01:00:00,SYSTEM_DEMAND,ROI,',
      '31-Mar-2024 01:15:00,SYSTEM_DEMAND,ROI,',
      '31-Mar-2024 01:30:00,SYSTEM_DEMAND,ROI,',
      '31-Mar-2024 01:45:00,SYSTEM_DEMAND,ROI,',
      '31-Mar-2024 01:00:00,SNSP_ALL,ALL,',
      '31-Mar-2024 01:30:00,SNSP_ALL,ALL,',
    ]);
    // The repeated autumn hour appears once.
    expect(csv.filter((line) => line.startsWith('27-Oct-2024 01:00:00,SYSTEM_DEMAND'))).toEqual([
      '27-Oct-2024 01:00:00,SYSTEM_DEMAND,ROI,3000.0',
    ]);
  });

  it('round-trips through the parser: everything but the unpublished GMT autumn hour', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-dbw-'));
    const path = join(dir, 'ROI_demandactual_2024_written.csv');
    await writeDashboardFile(path, observations(), 'csv');
    const result = await parseDashboardFile(path);
    const expected = observations().filter((o) => !inAutumnGmtHour(o));
    expect(sorted(result.records)).toEqual(sorted(expected));
    expect(result.quality.dstGapRowsDropped).toBe(6);
    expect(result.quality.dstDays).toEqual(['2024-03-31', '2024-10-27']);
    expect(result.quality.emptyValues).toBe(2);
    expect((await readFile(path, 'utf8')).startsWith('30-Mar-2024 22:00:00,SYSTEM_DEMAND,ROI,2992.0\n')).toBe(
      true,
    );
  });

  it('keeps every hour without the dashboard clock habits', () => {
    const rows = toDashboardRows(observations(), { dashboardClock: false });
    const result = parseDashboardText(formatDashboardCsv(rows), 'plain.csv');
    expect(sorted(result.records)).toEqual(sorted(observations()));
    expect(result.quality.dstGapRowsDropped).toBe(0);
  });

  it('refuses a series the dashboard does not publish', () => {
    const price: Observation = {
      series: 'price_eur_mwh',
      region: 'ALL',
      tsUtc: 0,
      intervalMin: 60,
      value: 1,
    };
    expect(() => toDashboardRows([price])).toThrow(DcgridError);
  });
});

describe('JSON shapes', () => {
  it('writes the old envelope and the new one, both read back', () => {
    const rows = toDashboardRows(observations());
    const legacy = formatLegacyJson(rows, { lastUpdated: '27-Oct-2024 05:00:00' });
    expect(Object.keys(JSON.parse(legacy) as object)).toEqual([
      'ErrorMessage',
      'LastUpdated',
      'Rows',
      'Status',
    ]);
    expect(
      legacy.startsWith(
        '{"ErrorMessage":null,"LastUpdated":"27-Oct-2024 05:00:00","Rows":[{"EffectiveTime":',
      ),
    ).toBe(true);
    const api = formatApiJson(rows);
    expect(Object.keys(JSON.parse(api) as object)).toEqual(['Rows']);
    const expected = sorted(observations().filter((o) => !inAutumnGmtHour(o)));
    const fromLegacy = parseDashboardText(legacy, 'legacy.json');
    const fromApi = parseDashboardText(api, 'api.json');
    expect(fromLegacy.shape).toBe('legacy-json');
    expect(fromApi.shape).toBe('api-json');
    expect(sorted(fromLegacy.records)).toEqual(expected);
    expect(sorted(fromApi.records)).toEqual(expected);
  });

  it('writes an error envelope that the parser reports', () => {
    const text = formatLegacyJson([], { status: 'Error', errorMessage: 'Service unavailable' });
    expect(() => parseDashboardText(text, 'error.json')).toThrow(/Status "Error": Service unavailable/);
  });
});
