import { describe, expect, it } from 'vitest';
import { EventAccumulator, rocAuc } from './event-metrics.js';

describe('event metrics', () => {
  it('computes Brier, precision and recall at the alert probability by hand', () => {
    const acc = new EventAccumulator();
    const p = [0.9, 0.6, 0.2, 0.1, 0.7, Number.NaN];
    const y = [1, 0, 1, 0, 1, 1];
    p.forEach((v, i) => acc.add(v, y[i]!));
    acc.add(0.5, Number.NaN);
    const m = acc.values(0.5);
    expect(m.n).toBe(5);
    expect(m.brier).toBeCloseTo((0.01 + 0.36 + 0.64 + 0.01 + 0.09) / 5, 12);
    // Alerted: 0.9 (event), 0.6 (no), 0.7 (event): precision 2/3; events 3, caught 2.
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.event_rate).toBeCloseTo(3 / 5, 12);
    expect(m.n_events).toBe(3);
  });

  it('gives the ROC AUC as the share of (event, non-event) pairs ranked right, ties half', () => {
    // Pairs: events {0.9, 0.2, 0.7} vs non-events {0.6, 0.1}: right 0.9>0.6, 0.9>0.1, 0.2>0.1, 0.7>0.6, 0.7>0.1 = 5 of 6.
    expect(rocAuc([0.9, 0.6, 0.2, 0.1, 0.7], [1, 0, 1, 0, 1])).toBeCloseTo(5 / 6, 12);
    expect(rocAuc([0.5, 0.5], [1, 0])).toBeCloseTo(0.5, 12);
    expect(rocAuc([0.3, 0.4], [1, 1])).toBeNaN();
  });

  it('bins the forecasts into a reliability table and merges accumulators', () => {
    const a = new EventAccumulator();
    const b = new EventAccumulator();
    a.add(0.05, 0);
    a.add(0.08, 1);
    b.add(0.95, 1);
    b.add(1, 1);
    a.merge(b);
    const table = a.reliability(10);
    expect(table).toHaveLength(10);
    expect(table[0]).toMatchObject({ n: 2, observedRate: 0.5 });
    expect(table[0]!.meanProbability).toBeCloseTo(0.065, 12);
    expect(table[9]).toMatchObject({ n: 2, observedRate: 1 });
    expect(table[5]!.n).toBe(0);
    expect(a.values(0.5).precision).toBe(1);
  });
});
