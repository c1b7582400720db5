import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS, isoDate, utcToIrishWallMs } from '../lib/time.js';
import { buildFeatures, type BuildFeaturesInput, type FeatureRow, type SeriesPoints } from './build.js';
import { readTranscribedCso } from './test-support/cso-csv.js';
import { points, regular, thrownBy } from './test-support/points.js';
import { csoReleaseTime } from './dc-proxy.js';

const WEIGHTS = { net_load: 0.5, renewables: 0.25, price: 0.3, interconnector: 0.15, snsp: 0.1 };
const T0 = Date.UTC(2024, 0, 1);

function build(series: SeriesPoints[], extra: Partial<BuildFeaturesInput> = {}) {
  return buildFeatures({
    region: 'IE',
    series,
    cso: [],
    stressWeights: WEIGHTS,
    stressAlertThreshold: 2,
    ...extra,
  });
}

const column = <K extends keyof FeatureRow>(rows: FeatureRow[], key: K) => rows.map((r) => r[key]);

describe('buildFeatures: hourly means and source precedence', () => {
  // Dashboard: 6 hours of quarter-hours, value 4000 + index; its last hour has only 2 valid readings.
  const dashboard = regular('dashboard', 'demand_mw', 'IE', T0, 15, 24, (i) => (i >= 22 ? null : 4000 + i));
  // Workbook: hours 0..3, 20 MW above the dashboard in hours 0-1 and 30 MW below in hours 2-3.
  const workbook = regular(
    'eirgrid-workbook',
    'demand_mw',
    'IE',
    T0,
    15,
    16,
    (i) => 4000 + i + (i < 8 ? 20 : -30),
  );
  const { rows, quality } = build([dashboard, workbook]);

  it('takes the workbook where it has values and the dashboard elsewhere', () => {
    // Hourly means of 4000 + i over quarter-hours 4h..4h+3: 4001.5 + 4h.
    expect(column(rows, 'demand_mw')).toEqual([4021.5, 4025.5, 3979.5, 3983.5, 4017.5, null]);
    expect(rows[5]!.flags).toContain('demand_incomplete');
    expect(rows.slice(0, 5).every((r) => !r.flags.includes('demand_incomplete'))).toBe(true);
  });

  it('reports the disagreement and which source supplied each hour', () => {
    expect(quality.disagreements).toEqual([
      {
        column: 'demand_mw',
        region: 'IE',
        winner: 'eirgrid-workbook',
        other: 'dashboard',
        overlapHours: 4,
        meanDiff: -5,
        meanAbsDiff: 25,
        maxAbsDiff: 30,
      },
    ]);
    expect(quality.sourcing).toEqual([
      {
        column: 'demand_mw',
        hoursWon: [
          { region: 'IE', source: 'eirgrid-workbook', hours: 4 },
          { region: 'IE', source: 'dashboard', hours: 1 },
        ],
      },
    ]);
    const dash = quality.series.find((s) => s.source === 'dashboard')!;
    expect(dash).toMatchObject({ hoursInRange: 6, hoursWithValue: 5, incompleteHours: 1, coverage: 5 / 6 });
    expect(dash.firstHour).toBe('2024-01-01T00:00Z');
    expect(quality.flaggedHours.demand_incomplete).toBe(1);
    expect(quality.columns.find((c) => c.column === 'demand_mw')).toEqual({
      column: 'demand_mw',
      hoursWithValue: 5,
      coverage: 5 / 6,
    });
  });

  it('emits only [from, to) but computes windows from all hours', () => {
    const part = build([dashboard, workbook], { from: T0 + 2 * HOUR_MS, to: T0 + 4 * HOUR_MS });
    expect(part.rows).toEqual(rows.slice(2, 4));
    expect(part.rows[0]!.ramp_rate_mw_h).toBe(3979.5 - 4025.5);
    expect(part.quality).toMatchObject({ from: '2024-01-01T02:00Z', to: '2024-01-01T04:00Z', rows: 2 });
    expect(() => build([dashboard], { from: T0, to: T0 })).toThrow(/must be before/);
    expect(build([dashboard], { from: T0 + 100 * HOUR_MS }).rows).toEqual([]);
    expect(build([dashboard], { to: T0 - HOUR_MS }).quality.rows).toBe(0);
  });
});

describe('buildFeatures: clock changes', () => {
  it('gives continuous UTC hours over the 23- and 25-hour local days', () => {
    const start = Date.UTC(2024, 2, 30);
    const demand = regular('dashboard', 'demand_mw', 'IE', start, 15, 4 * 24 * 3, (i) => 3000 + (i % 96));
    const autumn = regular(
      'dashboard',
      'demand_mw',
      'IE',
      Date.UTC(2024, 9, 26),
      15,
      4 * 24 * 3,
      (i) => 3000 + i,
    );
    for (const series of [demand, autumn]) {
      const { rows } = build([series]);
      expect(rows).toHaveLength(72);
      rows.slice(1).forEach((row, i) => expect(row.ts - rows[i]!.ts).toBe(HOUR_MS));
      expect(rows.every((r) => r.demand_mw !== null)).toBe(true);
    }
    const localDay = (rows: FeatureRow[], day: string) =>
      rows.filter((r) => isoDate(utcToIrishWallMs(r.ts)) === day);
    expect(localDay(build([demand]).rows, '2024-03-31')).toHaveLength(23);
    expect(localDay(build([autumn]).rows, '2024-10-27')).toHaveLength(25);
  });
});

describe('buildFeatures: regions, solar and system-wide values', () => {
  const hours = 6;
  const series = [
    regular('eirgrid-workbook', 'demand_mw', 'IE', T0, 60, hours, () => 4000),
    regular('eirgrid-workbook', 'wind_mw', 'IE', T0, 60, hours, (i) => 1000 + 100 * i),
    regular('eirgrid-workbook', 'solar_mw', 'IE', T0 + 3 * HOUR_MS, 60, 3, (i) => 50 * (i + 1)),
    regular('eirgrid-workbook', 'demand_mw', 'NI', T0, 60, hours, () => 800),
    regular('eirgrid-workbook', 'wind_mw', 'NI', T0, 60, hours, () => 200),
    regular('dashboard', 'snsp', 'ALL', T0, 30, 2 * hours, (i) => 0.5 + 0.01 * i),
    regular('semopx', 'price_eur_mwh', 'IE', T0, 60, hours, (i) => (i === 2 ? -10 : 90)),
    regular('dashboard', 'hydro_mw', 'IE', T0, 15, 4, () => 20),
  ];

  it('uses wind alone before the first solar reading and flags those hours', () => {
    const { rows } = build(series);
    expect(column(rows, 'solar_mw')).toEqual([null, null, null, 50, 100, 150]);
    expect(column(rows, 'renew_mw')).toEqual([1000, 1100, 1200, 1350, 1500, 1650]);
    expect(column(rows, 'net_load_mw')).toEqual([3000, 2900, 2800, 2650, 2500, 2350]);
    expect(rows.map((r) => r.flags.includes('solar_unreported'))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(column(rows, 'renewable_share')).toEqual([0.25, 0.275, 0.3, 0.3375, 0.375, 0.4125]);
  });

  it('gives IE and NI rows the all-island SNSP and the SEM price', () => {
    const ie = build(series).rows;
    const ni = build(series, { region: 'NI' }).rows;
    // SNSP half-hours 0.50 / 0.51 -> 0.505 in hour 0, and so on.
    for (const rows of [ie, ni]) {
      expect(column(rows, 'snsp').map((v) => Number(v!.toFixed(6)))).toEqual([
        0.505, 0.525, 0.545, 0.565, 0.585, 0.605,
      ]);
      expect(column(rows, 'price_eur_mwh')).toEqual([90, 90, -10, 90, 90, 90]);
      expect(column(rows, 'neg_price_flag')).toEqual([false, false, true, false, false, false]);
    }
    expect(ni.every((r) => r.flags.includes('solar_unreported') && r.dc_load_mw === null)).toBe(true);
  });

  it('sums IE and NI into ALL where ALL has no series of its own', () => {
    const { rows, quality } = build(series, { region: 'ALL' });
    expect(column(rows, 'demand_mw')).toEqual([4800, 4800, 4800, 4800, 4800, 4800]);
    expect(column(rows, 'wind_mw')).toEqual([1200, 1300, 1400, 1500, 1600, 1700]);
    // NI reports no solar, so ALL has none to sum: renewables are wind alone.
    expect(column(rows, 'solar_mw')).toEqual([null, null, null, null, null, null]);
    expect(
      rows.every((r) => r.flags.includes('summed_regions') && r.flags.includes('solar_unreported')),
    ).toBe(true);
    expect(column(rows, 'price_eur_mwh')[2]).toBe(-10);
    expect(quality.unusedSeries).toEqual(['dashboard/hydro_mw/IE']);
    expect(quality.notes[0]).toMatch(/IE only/);
  });

  it('refuses SNSP given in percent', () => {
    const percent = regular('dashboard', 'snsp', 'ALL', T0, 30, 2, () => 39.08);
    const error = thrownBy(() => build([series[0]!, percent]));
    expect(isDcgridError(error, 'E_VALUE_INVALID')).toBe(true);
    expect(String(error)).toMatch(/percent given/);
  });

  it('returns no rows for a region nothing reports', () => {
    const { rows, quality } = build([series[0]!], { region: 'NI' });
    expect(rows).toEqual([]);
    expect(quality.notes).toEqual(['no series with values feeds region NI']);
  });
});

describe('buildFeatures: copied-through columns', () => {
  const h2 = (
    source: Parameters<typeof regular>[0],
    name: Parameters<typeof regular>[1],
    region: 'IE' | 'NI' | 'ALL',
    a: number,
    b: number,
  ) =>
    points(source, name, region, T0, 60, [
      [0, a],
      [60, b],
    ]);
  const series = [
    h2('dashboard', 'demand_mw', 'IE', 4000, 4100),
    h2('dashboard', 'generation_mw', 'IE', 3900, 3950),
    h2('dashboard', 'co2_intensity', 'IE', 250, 260),
    h2('dashboard', 'ic_ewic_mw', 'IE', 400, -300),
    h2('dashboard', 'ic_greenlink_mw', 'IE', 200, 100),
    h2('dashboard', 'ic_net_mw', 'IE', 600, -200),
    h2('dashboard', 'demand_forecast_mw', 'IE', 4050, 4080),
    h2('dashboard', 'wind_forecast_mw', 'IE', 1200, 1300),
    h2('dashboard', 'solar_forecast_mw', 'IE', 0, 20),
    h2('dashboard', 'demand_mw', 'NI', 800, 820),
    h2('dashboard', 'ic_moyle_mw', 'NI', -250, 150),
    h2('dashboard', 'ic_net_mw', 'NI', -100, 50),
    h2('dashboard', 'co2_intensity', 'NI', 400, 410),
  ];

  it('copies observed columns into their own region', () => {
    const [first, second] = build(series).rows;
    expect(first).toMatchObject({
      generation_mw: 3900,
      co2_intensity: 250,
      ic_ewic_mw: 400,
      ic_greenlink_mw: 200,
      ic_net_mw: 600,
      ic_moyle_mw: null,
      demand_forecast_mw: 4050,
      wind_forecast_mw: 1200,
      solar_forecast_mw: 0,
    });
    expect(second).toMatchObject({ ic_ewic_mw: -300, solar_forecast_mw: 20 });
    expect(build(series, { region: 'NI' }).rows[0]).toMatchObject({
      ic_moyle_mw: -250,
      ic_ewic_mw: null,
      co2_intensity: 400,
    });
  });

  it('gives ALL the interconnectors where they land, the summed net flow and no CO2 intensity', () => {
    const [first] = build(series, { region: 'ALL' }).rows;
    expect(first).toMatchObject({
      demand_mw: 4800,
      ic_ewic_mw: 400,
      ic_greenlink_mw: 200,
      ic_moyle_mw: -250,
      ic_net_mw: 500,
      co2_intensity: null,
      generation_mw: null,
    });
  });
});

describe('buildFeatures: stress score on a constructed series', () => {
  // 25 days: flat demand and wind (too short for the year-ago reference: no net-load or
  // renewables term), SNSP at its 75 % limit, prices alternating 40 / 60 with 200 in the last hour.
  const n = 600;
  const series = [
    regular('dashboard', 'demand_mw', 'IE', T0, 60, n, () => 4000),
    regular('dashboard', 'wind_mw', 'IE', T0, 60, n, () => 1000),
    regular('dashboard', 'snsp', 'ALL', T0, 60, n, () => 0.75),
    regular('semopx', 'price_eur_mwh', 'IE', T0, 60, n, (i) => (i === n - 1 ? 200 : i % 2 === 0 ? 40 : 60)),
  ];
  const { rows } = build(series);

  it('scores the SNSP term alone (2.0, high) while the price level window fills', () => {
    expect(rows[100]!.stress_score).toBeCloseTo(2, 12);
    expect(rows[100]!.stress_snsp).toBeCloseTo(2, 12);
    expect(rows[100]!.stress_price).toBeNull();
    expect(rows[100]!.stress_net_load).toBeNull();
    expect(rows[100]!.stress_band).toBe('high');
    expect(rows[100]!.flags).toContain('stress_partial');
  });

  it('adds the price against its 30-day median once 480 prices are in the window', () => {
    // Hour 599: the previous 599 hours hold 300 x 40 and 299 x 60, so the median is 40.
    const price = (2 * Math.log(200 / 40)) / Math.log(2.5);
    const last = rows[n - 1]!;
    expect(last.stress_price).toBeCloseTo(price, 12);
    expect(last.stress_score).toBeCloseTo((0.1 * 2 + 0.3 * price) / Math.sqrt(0.01 + 0.09), 10);
    expect(last.stress_band).toBe('critical');
    expect(last.flags).toContain('stress_partial');
  });

  it('never looks ahead: a changed later price leaves earlier rows unchanged', () => {
    const changed = [
      ...series.slice(0, 3),
      regular('semopx', 'price_eur_mwh', 'IE', T0, 60, n, (i) => (i === 550 ? 999 : i % 2 === 0 ? 40 : 60)),
    ];
    const other = build(changed).rows;
    expect(other.slice(0, 550)).toEqual(rows.slice(0, 550));
    expect(other[550]!.stress_price).toBe(4);
  });
});

describe('buildFeatures: data-centre load', () => {
  const cso = readTranscribedCso();
  // Hourly IE demand for 2023 with a daily cycle.
  const start = Date.UTC(2023, 0, 1);
  const hours = 8760;
  const demand = regular(
    'dashboard',
    'demand_mw',
    'IE',
    start,
    60,
    hours,
    (i) => 4500 + 800 * Math.sin((2 * Math.PI * i) / 24),
  );
  const q3 = Date.parse('2023-06-30T23:00Z');
  const telemetry = points('telemetry', 'dc_load_mw', 'IE', q3 + 100 * HOUR_MS, 60, [
    [0, 700],
    [60, 710],
    [120, null],
  ]);
  const proxyOnly = build([demand], { cso });
  const withTelemetry = build([demand, telemetry], { cso });

  it('makes dc_load_mw causal: hours before T are the same when nothing from T on exists', () => {
    const cut = Date.parse('2023-05-10T00:00Z');
    const before = (Date.parse('2023-05-10T00:00Z') - start) / HOUR_MS;
    const truncated = build(
      [
        regular(
          'dashboard',
          'demand_mw',
          'IE',
          start,
          60,
          before,
          (i) => 4500 + 800 * Math.sin((2 * Math.PI * i) / 24),
        ),
      ],
      { cso },
    ).rows;
    const kept = truncated.filter((r) => r.ts < cut);
    expect(kept).toHaveLength(before);
    expect(kept.map((r) => r.dc_load_mw)).toEqual(proxyOnly.rows.slice(0, before).map((r) => r.dc_load_mw));
    expect(kept.every((r) => r.dc_load_mw !== null && r.dc_load_mw > 0)).toBe(true);
    // The analysis column scales each quarter to its whole energy: it does see past the cut.
    const analysis = (rows: typeof kept) => rows.slice(before - 24, before).map((r) => r.dc_load_analysis_mw);
    expect(analysis(kept)).not.toEqual(analysis(proxyOnly.rows));
  });

  it("moves the causal level to a year's figures only from their assumed release", () => {
    expect(csoReleaseTime(2022)).toBe(Date.parse('2023-08-01T00:00Z'));
    const at = (iso: string) => proxyOnly.rows[(Date.parse(iso) - start) / HOUR_MS]!.dc_load_mw!;
    // 2022's figures (5,254 GWh, Q4 1,450 GWh) replace 2021's at the release: the level jumps up.
    expect(at('2023-08-01T00:00Z') / at('2023-07-31T23:00Z')).toBeGreaterThan(1.05);
  });

  it('conserves each quarter of CSO energy in the rows (1e-6 relative)', () => {
    for (const period of proxyOnly.quality.csoPeriods) {
      const sum = proxyOnly.rows
        .filter((r) => r.ts >= Date.parse(period.start) && r.ts < Date.parse(period.end))
        .reduce((s, r) => s + r.dc_load_analysis_mw!, 0);
      expect(Math.abs(sum / (period.gwh! * 1000) - 1)).toBeLessThan(1e-6);
    }
    const year = proxyOnly.rows.reduce((s, r) => s + r.dc_load_analysis_mw!, 0);
    expect(Math.abs(year / 6_334_000 - 1)).toBeLessThan(1e-6);
    expect(proxyOnly.quality.csoPeriods.map((p) => [p.quarter, p.basis, p.method])).toEqual([
      [1, 'published', 'annual_split'],
      [2, 'published', 'annual_split'],
      [3, 'published', 'annual_split'],
      [4, 'published', 'published_quarter'],
    ]);
    const row = proxyOnly.rows[5000]!;
    expect(row.dc_load_source).toBe('proxy');
    expect(row.dc_share).toBeCloseTo(row.dc_load_mw! / row.demand_mw!, 14);
    // Nothing of the year was published before its hours: the causal estimate is the 2022 trend.
    expect(row.dc_load_mw).not.toBe(row.dc_load_analysis_mw);
    expect(proxyOnly.rows[0]!.flags).toContain('dc_energy_from_annual');
    expect(proxyOnly.rows[hours - 1]!.flags).not.toContain('dc_energy_from_annual');
  });

  it('replaces the proxy with telemetry exactly where telemetry has a value', () => {
    const at = (q3 - start) / HOUR_MS + 100;
    // Every other hour is as without telemetry (at + 2 differs only by its flag, checked below).
    const others = (rows: FeatureRow[]) => JSON.stringify(rows.filter((_, i) => i < at || i > at + 2));
    expect(others(withTelemetry.rows)).toBe(others(proxyOnly.rows));
    expect(withTelemetry.rows[at]).toMatchObject({ dc_load_mw: 700, dc_load_source: 'telemetry' });
    expect(withTelemetry.rows[at + 1]).toMatchObject({ dc_load_mw: 710, dc_load_source: 'telemetry' });
    expect(withTelemetry.rows[at]!.flags.some((f) => f.startsWith('dc_energy'))).toBe(false);
    // Hour at+2 had an empty telemetry reading: the proxy fills it, the telemetry gap is flagged.
    expect(withTelemetry.rows[at + 2]).toMatchObject({
      dc_load_source: 'proxy',
      dc_load_mw: proxyOnly.rows[at + 2]!.dc_load_mw,
      dc_load_analysis_mw: proxyOnly.rows[at + 2]!.dc_load_analysis_mw,
    });
    expect(withTelemetry.rows[at + 2]!.flags).toContain('dc_load_incomplete');
    const gap = withTelemetry.quality.disagreements.find((d) => d.column === 'dc_load_mw')!;
    const p0 = proxyOnly.rows[at]!.dc_load_analysis_mw!;
    const p1 = proxyOnly.rows[at + 1]!.dc_load_analysis_mw!;
    expect(gap).toMatchObject({ winner: 'telemetry', other: 'proxy', overlapHours: 2 });
    expect(gap.meanDiff).toBeCloseTo((700 - p0 + 710 - p1) / 2, 9);
  });

  it('marks hours of years without CSO figures unknown', () => {
    const early = regular('dashboard', 'demand_mw', 'IE', Date.UTC(2014, 11, 31), 60, 48, () => 3500);
    const { rows, quality } = build([early], { cso });
    expect(
      rows.slice(0, 24).every((r) => r.dc_load_mw === null && r.flags.includes('dc_energy_unknown')),
    ).toBe(true);
    expect(rows[24]!.flags).toEqual(expect.arrayContaining(['dc_period_partial']));
    expect(rows[24]!.dc_load_source).toBe('proxy');
    expect(quality.csoPeriods.map((p) => [p.year, p.quarter, p.basis, p.coveredHours])).toEqual([
      [2014, 4, 'none', 24],
      [2015, 1, 'published', 24],
    ]);
  });
});
