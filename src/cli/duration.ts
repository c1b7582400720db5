/** Durations and estimates as people read them: "42s", "2m05s", "1h02m"; never "NaN" or "2m60s". */

/** A non-negative number of seconds, rounded once, then split (so 119.6 s is "2m00s"). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) {
    const minutes = Math.floor(whole / 60);
    return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  }
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * Time left if the rest goes at the pace so far; undefined while there is nothing to go by
 * (nothing done yet, an unknown total, or less than a second of history).
 */
export function estimateRemaining(done: number, total: number, elapsedSeconds: number): number | undefined {
  if (!(done > 0) || !(total > 0) || !(elapsedSeconds >= 1) || !Number.isFinite(elapsedSeconds))
    return undefined;
  if (done >= total) return 0;
  const left = (elapsedSeconds / done) * (total - done);
  return Number.isFinite(left) ? left : undefined;
}

/** "ETA 1m20s", or "" when there is no estimate yet. */
export function formatEta(done: number, total: number, elapsedSeconds: number): string {
  const left = estimateRemaining(done, total, elapsedSeconds);
  return left === undefined ? '' : `ETA ${formatDuration(left)}`;
}
