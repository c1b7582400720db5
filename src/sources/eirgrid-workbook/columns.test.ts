import { describe, expect, it } from 'vitest';
import { DATA_COLUMNS, headerFor, matchHeader, normaliseHeader } from './columns.js';

describe('workbook columns', () => {
  it('lists the 34 data columns of the full 2026 workbook, each series/region once', () => {
    expect(DATA_COLUMNS).toHaveLength(34);
    const keys = DATA_COLUMNS.map((c) => `${c.series}/${c.region}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(DATA_COLUMNS.filter((c) => c.region === 'ALL').map((c) => c.header)).toContain(
      'AI Oversupply Percentage',
    );
  });

  it('matches every header of the FORMATS.md sets', () => {
    const full2026 =
      'DateTime, GMT Offset, NI Generation, NI Demand, NI Wind Availability, NI Wind Generation, NI Solar Availability, NI Solar Generation, NI Batteries, Moyle I/C, NI Wind Penetration, NI Solar Penetration, IE Generation, IE Demand, IE Wind Availability, IE Wind Generation, IE Solar Availability, IE Solar Generation, IE Hydro, EWIC I/C, Greenlink I/C, IE Wind Penetration, IE Solar Penetration, AI Generation, AI Demand, AI Wind Availability, AI Wind Generation, AI Solar Availability, AI Solar Generation, AI Hydro, Inter-Jurisdictional Flow, AI Wind Penetration, AI Solar Penetration, AI Oversupply, AI Oversupply Percentage, SNSP';
    const older =
      'DateTime, NI Generation, NI Demand, NI Wind Availability, NI Wind Generation, IE Generation, IE Demand, IE Wind Availability, IE Wind Generation, SNSP, NI Solar Availability, NI Solar Generation, Moyle I/C, IE Hydro, EWIC I/C, Inter-Jurisdictional Flow';
    for (const header of [...full2026.split(', '), ...older.split(', ')]) {
      expect(matchHeader(header).kind, header).not.toBe('unknown');
    }
    expect(matchHeader('SNSP')).toEqual({
      kind: 'data',
      column: { header: 'SNSP', series: 'snsp', region: 'ALL' },
    });
    expect(matchHeader('AI Wind Generation')).toMatchObject({ column: { series: 'wind_mw', region: 'ALL' } });
  });

  it('tolerates case, spacing, I/C spelling and the Surplus rename', () => {
    expect(normaliseHeader('  Moyle  I / C ')).toBe('moyle ic');
    expect(normaliseHeader('EWIC IC')).toBe('ewic ic');
    expect(normaliseHeader('Inter_Jurisdictional Flow')).toBe('inter jurisdictional flow');
    expect(normaliseHeader('SNSP (%)')).toBe('snsp');
    expect(matchHeader('AI Surplus')).toMatchObject({ column: { series: 'oversupply_mw' } });
    expect(matchHeader('ie wind generation (MW)')).toMatchObject({
      column: { series: 'wind_mw', region: 'IE' },
    });
    expect(matchHeader('Date Time')).toEqual({ kind: 'datetime' });
    expect(matchHeader('IE Wind')).toEqual({ kind: 'unknown' });
  });

  it('gives the header of a series', () => {
    expect(headerFor('ic_greenlink_mw', 'IE')).toBe('Greenlink I/C');
    expect(headerFor('demand_mw', 'ALL')).toBe('AI Demand');
    expect(headerFor('price_eur_mwh', 'ALL')).toBeUndefined();
  });
});
