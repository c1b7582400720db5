import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../lib/time.js';
import { parseStudy } from './definition.js';
import { addedLoad, DEFAULT_DIURNAL_SHAPE, normalisedShape } from './profile.js';

const start = Date.UTC(2023, 0, 1);
const hours = (n: number) => Float64Array.from({ length: n }, (_, i) => start + i * HOUR_MS);
const scenario = (s: object) =>
  parseStudy({
    name: 's',
    region: 'IE',
    from: '2023-01-01',
    to: '2023-02-01',
    scenarios: [{ name: 'x', ...s }],
  }).scenarios[0]!;

describe('added load profiles', () => {
  it('flat adds its size every hour', () => {
    expect([...addedLoad(scenario({ addMw: 300 }), hours(48))]).toEqual(new Array(48).fill(300));
  });

  it('diurnal keeps the size as the daily mean and follows the shape by UTC hour', () => {
    const load = addedLoad(scenario({ addMw: 100, profile: { kind: 'diurnal' } }), hours(24));
    const mean = load.reduce((a, b) => a + b, 0) / 24;
    expect(mean).toBeCloseTo(100, 9);
    expect(load[15]).toBeGreaterThan(load[3]!);
    const shape = normalisedShape([1, 3, ...new Array<number>(22).fill(2)]);
    expect(shape[0]).toBeCloseTo(0.5, 12);
    expect(DEFAULT_DIURNAL_SHAPE).toHaveLength(24);
  });

  it('ramps in linearly between the ramp dates and adds nothing before', () => {
    const load = addedLoad(
      scenario({ addMw: 240, rampIn: { from: '2023-01-01T10:00:00Z', to: '2023-01-02T10:00:00Z' } }),
      hours(48),
    );
    expect(load[9]).toBe(0);
    expect(load[10]).toBe(0);
    expect(load[22]).toBeCloseTo(120, 9);
    expect(load[34]).toBe(240);
    expect(load[47]).toBe(240);
  });
});
