import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STRESS_COMPONENT_COLUMNS } from '../store/migrations/0006_stress_components.js';
import { STRESS_EVENT_COLUMNS } from '../store/migrations/0009_stress_events.js';
import { FEATURE_COLUMNS, featureRowValues, NUMERIC_FEATURE_COLUMNS, type FeatureRow } from './columns.js';

/** Columns of migrations after 0006, in order (0008: the analysis proxy, double precision). */
const LATER_COLUMNS = ['dc_load_analysis_mw'];

/** Column names of dcgrid.features_hourly as 0001 creates them, then the columns later migrations add. */
function migrationColumns(): string[] {
  return [...foundationColumns(), ...STRESS_COMPONENT_COLUMNS, ...LATER_COLUMNS, ...STRESS_EVENT_COLUMNS];
}

function foundationColumns(): string[] {
  const text = readFileSync(new URL('../store/migrations/0001_foundation.ts', import.meta.url), 'utf8');
  const body = /CREATE TABLE dcgrid\.features_hourly \(([\s\S]*?)\n\s*\)`/.exec(text)?.[1] ?? '';
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('PRIMARY KEY'))
    .map((line) => line.split(/\s+/)[0]!);
}

describe('feature columns', () => {
  it('lists every column of the table in table order, except updated_at', () => {
    const table = migrationColumns();
    expect(table.length).toBeGreaterThan(25);
    expect([...FEATURE_COLUMNS]).toEqual(table.filter((c) => c !== 'updated_at'));
  });

  it('names the double-precision columns in the same order', () => {
    const text = readFileSync(new URL('../store/migrations/0001_foundation.ts', import.meta.url), 'utf8');
    const doubles = [
      ...foundationColumns().filter((c) => new RegExp(`\\n\\s*${c} double precision`).test(text)),
      ...STRESS_COMPONENT_COLUMNS,
      ...LATER_COLUMNS,
    ];
    expect([...NUMERIC_FEATURE_COLUMNS]).toEqual(doubles);
  });

  it('gives a row its values in column order, ts_utc as a Date', () => {
    const row = Object.fromEntries(FEATURE_COLUMNS.map((c, i) => [c, i])) as unknown as FeatureRow;
    const withTs: FeatureRow = { ...row, region: 'IE', ts: Date.UTC(2024, 0, 1), flags: ['summed_regions'] };
    const values = featureRowValues(withTs);
    expect(values[0]).toBe('IE');
    expect(values[1]).toEqual(new Date('2024-01-01T00:00:00Z'));
    const flagsAt = FEATURE_COLUMNS.indexOf('flags');
    expect(values.map((v, i) => (i < 2 || i === flagsAt ? null : v))).toEqual(
      FEATURE_COLUMNS.map((_, i) => (i < 2 || i === flagsAt ? null : i)),
    );
    expect(values[flagsAt]).toEqual(['summed_regions']);
  });
});
