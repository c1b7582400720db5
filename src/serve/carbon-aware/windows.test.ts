import { describe, expect, it } from 'vitest';
import { forecastWindows } from './windows.js';

const H = 3_600_000;
const points = [300, 200, 100, 400, 250].map((value, h) => ({ ts: h * H, value }));

describe('Carbon Aware SDK forecast windows', () => {
  it('averages each window of windowSize minutes and picks the lowest (earliest among equals)', () => {
    const { forecastData, optimalDataPoints } = forecastWindows('IE', points, {
      start: 0,
      end: 5 * H,
      windowMinutes: 120,
      pointMinutes: 60,
    });
    expect(forecastData.map((p) => p.value)).toEqual([250, 150, 250, 325]);
    expect(optimalDataPoints).toEqual([
      { location: 'IE', timestamp: new Date(H).toISOString(), duration: 120, value: 150 },
    ]);
  });

  it('weights partial hours by time and scopes to dataStartAt/dataEndAt', () => {
    const { forecastData } = forecastWindows('IE', points, {
      start: H / 2,
      end: 3 * H,
      windowMinutes: 60,
      pointMinutes: 60,
    });
    // The first window starts at dataStartAt: 30 min of 300 and 30 min of 200; then one per point.
    expect(forecastData.map((p) => p.value)).toEqual([250, 200, 100]);
    expect(forecastData.map((p) => p.timestamp)).toEqual(
      [H / 2, H, 2 * H].map((t) => new Date(t).toISOString()),
    );
  });

  it('answers no points when the window is longer than the data', () => {
    expect(
      forecastWindows('IE', points, { start: 0, end: 2 * H, windowMinutes: 180, pointMinutes: 60 }),
    ).toEqual({
      forecastData: [],
      optimalDataPoints: [],
    });
  });
});
