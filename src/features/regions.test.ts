import { describe, expect, it } from 'vitest';
import { REGION_RULES, regionsFeeding, resolveColumn, sumSpan } from './regions.js';
import { arr, list } from './test-support/points.js';

const hourly = (values: Array<number | null>, incomplete: number[] = values.map(() => 0)) => ({
  values: arr(values),
  incomplete: Uint8Array.from(incomplete),
});

describe('region rules', () => {
  it('sums IE + NI for ALL over the span both report, flagging summed and one-sided hours', () => {
    const ie = hourly([4000, 4100, 4200, null, 4400, 4500]);
    const ni = hourly([null, 1000, null, 1100, 1200, null]);
    expect(sumSpan(ie.values, ni.values)).toEqual([1, 4]);
    const resolved = resolveColumn(REGION_RULES.demand_mw, 'ALL', { IE: ie, NI: ni }, 6)!;
    expect(list(resolved.values)).toEqual([null, 5100, null, null, 5600, null]);
    expect([...resolved.summed]).toEqual([0, 1, 0, 0, 1, 0]);
    // Inside the span, an hour missing in one region is incomplete; outside it, just not reported.
    expect([...resolved.incomplete]).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it("prefers ALL's own series and sums only its gaps", () => {
    const resolved = resolveColumn(
      REGION_RULES.wind_mw,
      'ALL',
      { ALL: hourly([900, null]), IE: hourly([700, 710]), NI: hourly([150, 160]) },
      2,
    )!;
    expect(list(resolved.values)).toEqual([900, 870]);
    expect([...resolved.summed]).toEqual([0, 1]);
  });

  it('gives IE and NI rows the all-island SNSP and every region the IE price', () => {
    const snsp = { ALL: hourly([0.6, 0.7]) };
    expect(list(resolveColumn(REGION_RULES.snsp, 'IE', snsp, 2)!.values)).toEqual([0.6, 0.7]);
    expect(list(resolveColumn(REGION_RULES.snsp, 'NI', snsp, 2)!.values)).toEqual([0.6, 0.7]);
    const price = { IE: hourly([80, null], [0, 1]) };
    const ni = resolveColumn(REGION_RULES.price_eur_mwh, 'NI', price, 2)!;
    expect(list(ni.values)).toEqual([80, null]);
    expect([...ni.incomplete]).toEqual([0, 1]);
    expect([...ni.summed]).toEqual([0, 0]);
    expect(list(resolveColumn(REGION_RULES.price_eur_mwh, 'ALL', price, 2)!.values)).toEqual([80, null]);
  });

  it('takes an interconnector from the region it lands in for ALL only', () => {
    const moyle = { NI: hourly([-250]) };
    expect(list(resolveColumn(REGION_RULES.ic_moyle_mw, 'ALL', moyle, 1)!.values)).toEqual([-250]);
    expect(resolveColumn(REGION_RULES.ic_moyle_mw, 'IE', moyle, 1)).toBeNull();
    expect(regionsFeeding(REGION_RULES.ic_ewic_mw, 'ALL')).toEqual(['ALL', 'IE']);
  });

  it('never fills CO2 intensity or telemetry from another region', () => {
    expect(
      resolveColumn(REGION_RULES.co2_intensity, 'ALL', { IE: hourly([300]), NI: hourly([400]) }, 1),
    ).toBeNull();
    expect(resolveColumn(REGION_RULES.dc_load_mw, 'NI', { IE: hourly([900]) }, 1)).toBeNull();
  });
});
