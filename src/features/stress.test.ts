import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import {
  checkStressWeights,
  combineStress,
  computeStress,
  interconnectorFlows,
  interconnectorTerm,
  netLoadTerms,
  OUTAGE_HOURS,
  priceTerm,
  renewablesTerms,
  snspLimitAt,
  snspTerm,
  stressBand,
  stressBandFloors,
  type StressComponents,
  type StressInputs,
} from './stress.js';
import { arr, expectSeries, thrownBy } from './test-support/points.js';

const DEFAULTS = { net_load: 0.5, renewables: 0.25, price: 0.3, interconnector: 0.15, snsp: 0.1 };
const nan = Number.NaN;

const components = (rows: Array<[number, number, number, number, number]>): StressComponents => ({
  net_load: arr(rows.map((r) => r[0])),
  renewables: arr(rows.map((r) => r[1])),
  price: arr(rows.map((r) => r[2])),
  interconnector: arr(rows.map((r) => r[3])),
  snsp: arr(rows.map((r) => r[4])),
});

/** A frame of `hours` hours from 1 Jan 2022, every column from f(column, hour). */
function frame(hours: number, f: (column: string, h: number) => number): StressInputs {
  const col = (name: string) => Float64Array.from({ length: hours }, (_, h) => f(name, h));
  return {
    start: Date.UTC(2022, 0, 1),
    net_load_mw: col('net_load_mw'),
    renew_mw: col('renew_mw'),
    price_eur_mwh: col('price_eur_mwh'),
    snsp: col('snsp'),
    ic_ewic_mw: col('ic_ewic_mw'),
    ic_moyle_mw: col('ic_moyle_mw'),
    ic_greenlink_mw: col('ic_greenlink_mw'),
  };
}

describe('stress components', () => {
  it('follows the SNSP limit history: 50 % before Oct 2015 up to 75 % from Apr 2021', () => {
    expect(snspLimitAt(Date.UTC(2015, 8, 30, 23))).toBe(0.5);
    expect(snspLimitAt(Date.UTC(2015, 9, 1))).toBe(0.55);
    expect(snspLimitAt(Date.UTC(2017, 0, 1))).toBe(0.6);
    expect(snspLimitAt(Date.UTC(2019, 5, 1))).toBe(0.65);
    expect(snspLimitAt(Date.UTC(2021, 1, 1))).toBe(0.7);
    expect(snspLimitAt(Date.UTC(2021, 3, 1))).toBe(0.75);
    expect(snspLimitAt(Date.UTC(2030, 0, 1))).toBe(0.75);
  });

  it('scores SNSP 2 at the limit in force, 0 at 25 points below or lower, up to 4', () => {
    const y2019 = Date.UTC(2019, 5, 1);
    const y2022 = Date.UTC(2022, 5, 1);
    expect(snspTerm(0.65, y2019)).toBeCloseTo(2, 12);
    expect(snspTerm(0.65, y2022)).toBeCloseTo(1.2, 12);
    expect(snspTerm(0.5, y2022)).toBeCloseTo(0, 12);
    expect(snspTerm(0.1, y2022)).toBe(0);
    expect(snspTerm(1, y2022)).toBe(4);
    expect(snspTerm(nan, y2022)).toBeNaN();
  });

  it('scores the price against its fuel-driven level: 0 at it, 2 at 2.5 times it', () => {
    expect(priceTerm(80, 80)).toBe(0);
    expect(priceTerm(200, 80)).toBeCloseTo(2, 12);
    expect(priceTerm(32, 80)).toBeCloseTo(-2, 12);
    // A gas-crisis month: 400 against a 400 median is no scarcity.
    expect(priceTerm(400, 400)).toBe(0);
    expect(priceTerm(-5, 80)).toBe(-2);
    expect(priceTerm(10_000, 80)).toBe(4);
    expect(priceTerm(80, 0)).toBeNaN();
    expect(priceTerm(nan, 80)).toBeNaN();
  });

  it('scores interconnector imports against the ratings of the links reporting that hour', () => {
    expect(interconnectorTerm(500, 500)).toBe(2);
    expect(interconnectorTerm(-250, 500)).toBe(-1);
    expect(interconnectorTerm(0, 500)).toBe(0);
    expect(interconnectorTerm(700, 500)).toBe(2);
    expect(interconnectorTerm(100, 0)).toBeNaN();
    const { imports, rating } = interconnectorFlows({
      ic_ewic_mw: arr([400, 400, null]),
      ic_greenlink_mw: arr([300, null, null]),
      ic_moyle_mw: arr([null, null, null]),
    });
    expectSeries(imports, [700, 400, null]);
    expect([...rating]).toEqual([1000, 500, 0]);
  });

  it('counts an interconnector whose flow stays near zero for OUTAGE_HOURS hours as out of service', () => {
    // EWIC trades, then sits at 1 MW (out of service): from the OUTAGE_HOURS-th such hour its
    // rating is lost headroom. Moyle idles at 0 for fewer hours (a quiet schedule), then trades.
    const idle = OUTAGE_HOURS - 1;
    const ewic = [300, ...Array.from({ length: OUTAGE_HOURS + 1 }, () => 1)];
    const moyle = [-200, ...Array.from({ length: idle }, () => 0), 100, 100];
    const flows = interconnectorFlows({
      ic_ewic_mw: arr(ewic),
      ic_moyle_mw: arr(moyle),
      ic_greenlink_mw: arr(ewic.map(() => null)),
    });
    const last = ewic.length - 1;
    expect(flows.unavailable[0]).toBe(0);
    expect(flows.unavailable[OUTAGE_HOURS - 1]).toBe(0);
    expect(flows.unavailable[OUTAGE_HOURS]).toBe(500);
    expect(flows.unavailable[last]).toBe(500);
    expect(flows.imports[last]).toBe(101);
    // 101 MW imported over Moyle and EWIC's 500 MW lost, of 1000 MW: 2 x 601 / 1000.
    expect(
      interconnectorTerm(flows.imports[last]!, flows.rating[last]!, flows.unavailable[last]!),
    ).toBeCloseTo(1.202, 12);
    // A missing hour breaks the run: no outage is inferred across a gap.
    const gap = interconnectorFlows({
      ic_ewic_mw: arr(ewic.map((v, h) => (h === 5 ? null : v))),
      ic_moyle_mw: arr(moyle),
      ic_greenlink_mw: arr(ewic.map(() => null)),
    });
    expect(gap.unavailable[last]).toBe(0);
    // Every link out: no headroom at all reads like importing at the rating.
    expect(interconnectorTerm(0, 500, 500)).toBe(2);
  });

  it('scores net load against the highest net load served in the seasonal reference', () => {
    // Two years of a constant 4000 MW, then one hour at 4200: 5 % above the served level reads 3.
    const hours = 2 * 8760 + 1;
    const x = Float64Array.from({ length: hours }, (_, h) => (h === hours - 1 ? 4200 : 4000));
    const terms = netLoadTerms(x);
    expect(terms[hours - 2]).toBeCloseTo(2, 12);
    expect(terms[hours - 1]).toBeCloseTo(3, 12);
    // The first year has no year-ago season: no term.
    expect(terms[8000]).toBeNaN();
  });

  it('scores low renewables by their rank among the seasonal reference hours', () => {
    // Renewables cycling 0..99: a 0 ranks at the bottom (a positive term), a 99 at the top.
    const hours = 8760 + 800;
    const x = Float64Array.from({ length: hours }, (_, h) => h % 100);
    const terms = renewablesTerms(x);
    const low = terms[hours - 60]!; // value 0 (hours - 60 is a multiple of 100)
    const high = terms[hours - 61]!; // value 99
    expect((hours - 60) % 100).toBe(0);
    expect(low).toBeGreaterThan(2);
    expect(high).toBeLessThan(-2);
    expect(low).toBeCloseTo(-high, 1);
  });

  it('reads only past hours: changing a later hour leaves every earlier component unchanged', () => {
    const hours = 8760 + 1000;
    const base = frame(hours, (c, h) => {
      if (c === 'net_load_mw') return 3000 + 500 * Math.sin(h / 3.7);
      if (c === 'renew_mw') return 1500 + 1000 * Math.cos(h / 11);
      if (c === 'price_eur_mwh') return 80 + 30 * Math.sin(h / 5);
      if (c === 'snsp') return 0.4 + 0.3 * Math.sin(h / 13);
      if (c === 'ic_ewic_mw') return 300 * Math.sin(h / 7);
      return nan;
    });
    const a = computeStress(base, DEFAULTS);
    const cut = hours - 200;
    const changed = {
      ...base,
      net_load_mw: base.net_load_mw.slice(),
      price_eur_mwh: base.price_eur_mwh.slice(),
    };
    for (let h = cut; h < hours; h++) {
      changed.net_load_mw[h] = 9000;
      changed.price_eur_mwh[h] = 5000;
    }
    const b = computeStress(changed, DEFAULTS);
    expect([...b.score.subarray(0, cut)]).toEqual([...a.score.subarray(0, cut)]);
    expect(b.score[cut]!).toBeGreaterThan(a.score[cut]!);
    expect(Number.isNaN(a.score[hours - 1]!)).toBe(false);
  });

  it('rejects frames whose columns differ in length or that do not start on an hour', () => {
    const good = frame(10, () => 1);
    expect(
      isDcgridError(
        thrownBy(() => computeStress({ ...good, snsp: new Float64Array(9) }, DEFAULTS)),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
    expect(() => computeStress({ ...good, start: good.start + HOUR_MS / 2 }, DEFAULTS)).toThrow(
      /start of a UTC hour/,
    );
  });
});

describe('stress score', () => {
  it('divides the weighted sum of the available components by the root of their squared weights', () => {
    const { score, partial } = combineStress(
      components([
        [1, 2, 3, 0.5, 2],
        [1, 2, nan, 0.5, 2],
        [nan, nan, nan, nan, nan],
      ]),
      DEFAULTS,
    );
    const all = 0.5 * 1 + 0.25 * 2 + 0.3 * 3 + 0.15 * 0.5 + 0.1 * 2;
    expect(score[0]).toBeCloseTo(all / Math.sqrt(0.25 + 0.0625 + 0.09 + 0.0225 + 0.01), 12);
    expect(score[1]).toBeCloseTo((all - 0.9) / Math.sqrt(0.25 + 0.0625 + 0.0225 + 0.01), 12);
    expect(score[2]).toBeNaN();
    expect([...partial]).toEqual([0, 1, 0]);
  });

  it('ignores components weighted 0, missing or not, and only the ratio of the weights matters', () => {
    const zeroed = { ...DEFAULTS, snsp: 0, interconnector: 0 };
    const { score, partial } = combineStress(components([[1, 3, 5, 7, nan]]), zeroed);
    expect(score[0]).toBeCloseTo((0.5 + 0.75 + 1.5) / Math.sqrt(0.25 + 0.0625 + 0.09), 12);
    expect(partial[0]).toBe(0);
    const scaled = Object.fromEntries(
      Object.entries(DEFAULTS).map(([k, w]) => [k, 10 * w]),
    ) as typeof DEFAULTS;
    const row: [number, number, number, number, number] = [0.3, -1, 2, 0.7, 1.2];
    expect(combineStress(components([row]), scaled).score[0]).toBeCloseTo(
      combineStress(components([row]), DEFAULTS).score[0]!,
      12,
    );
    expect(combineStress(components([[nan, nan, nan, nan, 2]]), DEFAULTS).score[0]).toBeCloseTo(2, 12);
  });

  it('rejects negative, non-finite or all-zero weights', () => {
    expect(
      isDcgridError(
        thrownBy(() => checkStressWeights({ ...DEFAULTS, price: -1 })),
        'E_CONFIG_INVALID',
      ),
    ).toBe(true);
    expect(() => checkStressWeights({ ...DEFAULTS, net_load: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() =>
      checkStressWeights({ net_load: 0, renewables: 0, price: 0, interconnector: 0, snsp: 0 }),
    ).toThrow(/not all zero/);
  });

  it('bands the score around the alert threshold T: elevated from T-1, high from T, critical from T+1', () => {
    expect(stressBand(-3, 2)).toBe('normal');
    expect(stressBand(0.999, 2)).toBe('normal');
    expect(stressBand(1, 2)).toBe('elevated');
    expect(stressBand(2, 2)).toBe('high');
    expect(stressBand(3, 2)).toBe('critical');
    expect(stressBand(nan, 2)).toBeNull();
    // The bands move with STRESS_ALERT_THRESHOLD: at 2.5 a score of 2 is only elevated.
    expect(stressBandFloors(2.5)).toEqual({ elevated: 1.5, high: 2.5, critical: 3.5 });
    expect(stressBand(2, 2.5)).toBe('elevated');
    expect(stressBand(3.5, 2.5)).toBe('critical');
    expect(
      isDcgridError(
        thrownBy(() => stressBandFloors(nan)),
        'E_CONFIG_INVALID',
      ),
    ).toBe(true);
  });
});
