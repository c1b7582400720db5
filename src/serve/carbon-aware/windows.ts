/**
 * The Carbon Aware SDK's forecast arithmetic: forecast points scoped to [dataStartAt, dataEndAt],
 * averaged over windows of `windowSize` minutes starting at each point (a window must fit inside
 * the data), and the optimal (lowest) windows.
 */

export interface EmissionsPoint {
  location: string;
  /** ISO 8601 instant. */
  timestamp: string;
  /** Minutes. */
  duration: number;
  /** gCO2/kWh. */
  value: number;
}

export interface HourlyValue {
  ts: number;
  value: number;
}

const MINUTE = 60_000;

export function forecastWindows(
  location: string,
  points: readonly HourlyValue[],
  options: { start: number; end: number; windowMinutes: number; pointMinutes: number },
): { forecastData: EmissionsPoint[]; optimalDataPoints: EmissionsPoint[] } {
  const { start, end, windowMinutes, pointMinutes } = options;
  const scoped = points.filter((p) => p.ts + pointMinutes * MINUTE > start && p.ts < end);
  const forecastData: EmissionsPoint[] = [];
  for (let i = 0; i < scoped.length; i++) {
    const windowStart = Math.max(scoped[i]!.ts, start);
    const windowEnd = windowStart + windowMinutes * MINUTE;
    if (windowEnd > end) break;
    // Time-weighted mean of the points the window overlaps.
    let weighted = 0;
    let covered = 0;
    for (let j = i; j < scoped.length && scoped[j]!.ts < windowEnd; j++) {
      const from = Math.max(scoped[j]!.ts, windowStart);
      const to = Math.min(scoped[j]!.ts + pointMinutes * MINUTE, windowEnd);
      if (to > from) {
        weighted += scoped[j]!.value * (to - from);
        covered += to - from;
      }
    }
    if (covered < windowEnd - windowStart) break;
    forecastData.push({
      location,
      timestamp: new Date(windowStart).toISOString(),
      duration: windowMinutes,
      value: weighted / covered,
    });
  }
  // The earliest of the lowest windows, as the SDK answers.
  let best: EmissionsPoint | undefined;
  for (const point of forecastData) if (best === undefined || point.value < best.value - 1e-12) best = point;
  return { forecastData, optimalDataPoints: best === undefined ? [] : [best] };
}
