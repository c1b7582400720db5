import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../lib/time.js';
import { computeStressEvents, DEFAULT_STRESS_EVENTS, type StressEventInputs } from './stress-events.js';

const START = Date.UTC(2021, 5, 1);
/** Enough hours for the seasonal reference (a year back plus a month). */
const HOURS = 8760 + 1500;

function frame(): StressEventInputs {
  const netLoad = new Float64Array(HOURS);
  const price = new Float64Array(HOURS);
  const snsp = new Float64Array(HOURS);
  for (let h = 0; h < HOURS; h++) {
    netLoad[h] = 3000 + 200 * Math.sin((2 * Math.PI * h) / 24);
    price[h] = 100 + (h % 7);
    snsp[h] = 0.4;
  }
  return { start: START, net_load_mw: netLoad, price_eur_mwh: price, snsp };
}

describe('stress-event labels', () => {
  it('marks a net load above the seasonal top percentile as tight, and ordinary hours as not', () => {
    const input = frame();
    const t = HOURS - 10;
    input.net_load_mw[t] = 4000;
    const events = computeStressEvents(input, DEFAULT_STRESS_EVENTS);
    expect(events.tight[t]).toBe(1);
    expect(events.event[t]).toBe(1);
    // A trough hour is far below the level served this season.
    const trough = HOURS - 24 + 18 - (HOURS % 24);
    expect(events.tight[trough]).toBe(0);
    // Without a year-ago season the reference is too thin: unknown, and so is the union.
    expect(events.tight[100]).toBeNaN();
    expect(events.event[100]).toBeNaN();
  });

  it('reads SNSP against the limit in force, within the margin', () => {
    const input = frame();
    const t = HOURS - 5; // mid 2022: the limit is 0.75
    input.snsp[t] = 0.71;
    input.snsp[t - 1] = 0.69;
    const events = computeStressEvents(input, DEFAULT_STRESS_EVENTS);
    expect(events.snsp[t]).toBe(1);
    expect(events.snsp[t - 1]).toBe(0);
    expect(computeStressEvents(input, { ...DEFAULT_STRESS_EVENTS, snspMargin: 0.01 }).snsp[t]).toBe(0);
    input.snsp[t] = Number.NaN;
    expect(computeStressEvents(input, DEFAULT_STRESS_EVENTS).snsp[t]).toBeNaN();
  });

  it('marks a price at or above the ratio times its trailing 30-day median as a spike', () => {
    const input = frame();
    const t = HOURS - 3;
    input.price_eur_mwh[t] = 2 * 103 + 1;
    input.price_eur_mwh[t - 1] = 2 * 103 - 20;
    const events = computeStressEvents(input, DEFAULT_STRESS_EVENTS);
    expect(events.price_spike[t]).toBe(1);
    expect(events.price_spike[t - 1]).toBe(0);
    expect(computeStressEvents(input, { ...DEFAULT_STRESS_EVENTS, priceRatio: 3 }).price_spike[t]).toBe(0);
    // The first hours have no 20 days of prices behind them.
    expect(events.price_spike[10]).toBeNaN();
  });

  it('gives the union: 1 if any label is 1, 0 if all are 0, unknown otherwise', () => {
    const input = frame();
    const t = HOURS - 2;
    input.snsp[t] = 0.74;
    input.net_load_mw[t - 1] = Number.NaN;
    input.snsp[t - 2] = 0.74;
    input.net_load_mw[t - 2] = Number.NaN;
    const events = computeStressEvents(input, DEFAULT_STRESS_EVENTS);
    expect([events.tight[t], events.snsp[t], events.event[t]]).toEqual([0, 1, 1]);
    expect(events.event[t - 1]).toBeNaN();
    expect(events.event[t - 2]).toBe(1);
    expect(events.event[t - 3]).toBe(0);
  });

  it('labels an hour from past hours only: later values never change it', () => {
    const input = frame();
    const before = computeStressEvents(input, DEFAULT_STRESS_EVENTS);
    const cut = HOURS - 200;
    for (let h = cut; h < HOURS; h++) {
      input.net_load_mw[h] = 9000;
      input.price_eur_mwh[h] = 5000;
      input.snsp[h] = 0.9;
    }
    const after = computeStressEvents(input, DEFAULT_STRESS_EVENTS);
    for (const label of ['tight', 'snsp', 'price_spike', 'event'] as const) {
      expect(after[label].subarray(0, cut)).toEqual(before[label].subarray(0, cut));
    }
    expect(after.event[HOURS - 1]).toBe(1);
  });

  it('refuses settings outside their ranges and frames of unequal columns', () => {
    const input = frame();
    expect(() => computeStressEvents(input, { ...DEFAULT_STRESS_EVENTS, netLoadQuantile: 1 })).toThrow(
      /STRESS_EVENT_NET_LOAD_QUANTILE/,
    );
    expect(() => computeStressEvents(input, { ...DEFAULT_STRESS_EVENTS, priceRatio: 1 })).toThrow(
      /STRESS_EVENT_PRICE_RATIO/,
    );
    expect(() => computeStressEvents({ ...input, snsp: new Float64Array(3) }, DEFAULT_STRESS_EVENTS)).toThrow(
      /snsp has 3 hours/,
    );
    expect(() =>
      computeStressEvents({ ...input, start: START + HOUR_MS / 2 }, DEFAULT_STRESS_EVENTS),
    ).toThrow(/start of a UTC hour/);
  });
});
