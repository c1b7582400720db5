import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { HourlyFrame } from '../models/types.js';
import { endOfActuals, planOrigins } from './origins.js';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 24 * HOUR_MS;

/** Six weeks of hourly values from 1 January 2024 00:00 UTC, the last 30 hours unknown (future rows). */
function frame(): HourlyFrame {
  const hours = 24 * 42;
  const load = Float64Array.from({ length: hours }, (_, i) => (i >= hours - 30 ? NaN : 500 + (i % 24)));
  return { ts: Float64Array.from({ length: hours }, (_, i) => T0 + i * HOUR_MS), columns: { load } };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('backtest origins', () => {
  it('ends where the target stops being known', () => {
    expect(endOfActuals(frame(), 'load')).toBe(T0 + (24 * 42 - 30) * HOUR_MS);
  });

  it('daily origins over the last weeks, each with a horizon of actuals after it', () => {
    const f = frame();
    const end = endOfActuals(f, 'load'); // 42 days - 30 h = 40 days + 18 h after T0
    const origins = planOrigins(f, 'load', 48, { weeks: 2, originHour: 0, everyH: 24 });
    expect(origins).toHaveLength(14);
    // The last origin at 00:00 with 48 h of actuals: day 38 (day 39 + 48 h = day 41 > end).
    expect(origins.at(-1)).toBe(T0 + 38 * DAY);
    expect(origins.at(-1)! + 48 * HOUR_MS).toBeLessThanOrEqual(end);
    expect(origins[0]).toBe(T0 + 25 * DAY);
    expect(origins.every((o, i) => i === 0 || o - origins[i - 1]! === DAY)).toBe(true);
  });

  it('honours the origin hour and the spacing', () => {
    const origins = planOrigins(frame(), 'load', 24, { weeks: 1, originHour: 6, everyH: 12 });
    expect(origins).toHaveLength(14);
    expect(new Date(origins[0]!).getUTCHours() % 12).toBe(6);
    expect(origins.at(-1)! + 24 * HOUR_MS).toBeLessThanOrEqual(endOfActuals(frame(), 'load'));
  });

  it('takes an explicit range, both ends included', () => {
    const origins = planOrigins(frame(), 'load', 24, { from: T0 + 20 * DAY, to: T0 + 23 * DAY, everyH: 24 });
    expect(origins).toEqual([20, 21, 22, 23].map((d) => T0 + d * DAY));
  });

  it('refuses origins without a horizon of actuals or without history', () => {
    const beyond = thrown(() =>
      planOrigins(frame(), 'load', 48, { from: T0 + 30 * DAY, to: T0 + 41 * DAY, everyH: 24 }),
    );
    expect(isDcgridError(beyond, 'E_VALUE_INVALID')).toBe(true);
    expect((beyond as Error).message).toContain('last possible origin');
    const early = thrown(() => planOrigins(frame(), 'load', 24, { weeks: 6, originHour: 0, everyH: 24 }));
    expect(isDcgridError(early, 'E_TRAINING_DATA')).toBe(true);
    const offHour = thrown(() =>
      planOrigins(frame(), 'load', 24, { from: T0 + 20 * DAY + 1, to: T0 + 21 * DAY, everyH: 24 }),
    );
    expect(isDcgridError(offHour, 'E_VALUE_INVALID')).toBe(true);
    const empty: HourlyFrame = { ts: Float64Array.from([T0]), columns: { load: Float64Array.from([NaN]) } };
    expect(
      isDcgridError(
        thrown(() => planOrigins(empty, 'load', 24, { weeks: 1, originHour: 0, everyH: 24 })),
        'E_TRAINING_DATA',
      ),
    ).toBe(true);
  });
});
