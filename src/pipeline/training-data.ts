/**
 * The history a model trains on or forecasts from: the feature columns it reads, from the first to
 * the last hour that has a target value (a region's rows can run past its target, e.g. prices
 * published after the demand data end), checked before any model sees it.
 */
import { createHash } from 'node:crypto';
import type { Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { HourlyFrame } from '../models/types.js';
import { loadHourlyFrame } from '../store/frames.js';
import type { Store } from '../store/store.js';

export interface TargetFrame {
  frame: HourlyFrame;
  /** Start of the last hour with a target value; forecasts are issued from the hour after it. */
  lastObserved: number;
  /** Hours with a target value. */
  observedHours: number;
  /** sha256 of the hours and values: equal fingerprints mean equal training data. */
  fingerprint: string;
}

function slice(frame: HourlyFrame, from: number, to: number): HourlyFrame {
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(frame.columns)) columns[name] = values.subarray(from, to);
  return { ts: frame.ts.subarray(from, to), columns };
}

export function frameFingerprint(frame: HourlyFrame): string {
  const hash = createHash('sha256');
  hash.update(new Uint8Array(frame.ts.buffer, frame.ts.byteOffset, frame.ts.byteLength));
  for (const name of Object.keys(frame.columns).sort()) {
    const values = frame.columns[name]!;
    hash.update(name);
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Loads `columns` (the target first) for a region and trims the frame to the target's observed
 * span. `asOf` reads only the hours that start before it (the store as it was then); `lastHours`
 * keeps only that many hours at the end. Fails early with E_TRAINING_DATA when
 * the target has no values, or fewer hours than `minHours`.
 */
export async function loadTargetFrame(
  store: Store,
  query: {
    region: Region;
    target: string;
    columns: readonly string[];
    lastHours?: number;
    minHours?: number;
    /** Only hours that start before this instant (UTC epoch ms), as if the store ended there. */
    asOf?: number;
  },
): Promise<TargetFrame> {
  const { region, target } = query;
  const columns = [target, ...query.columns.filter((c) => c !== target)];
  const full = await loadHourlyFrame(store.db, {
    region,
    columns,
    ...(query.asOf !== undefined ? { to: query.asOf } : {}),
  });
  const values = full.columns[target]!;
  let first = 0;
  while (first < values.length && Number.isNaN(values[first]!)) first++;
  let last = values.length - 1;
  while (last >= first && Number.isNaN(values[last]!)) last--;
  if (last < first) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `no ${target} values for region ${region} in ${store.description}` +
        (query.asOf !== undefined ? ` before ${new Date(query.asOf).toISOString()}` : '') +
        (full.ts.length === 0
          ? ': run `dcgrid ingest` first'
          : ` (${full.ts.length} hours of features, the target is empty in all of them)`),
    );
  }
  const start = query.lastHours !== undefined ? Math.max(first, last + 1 - query.lastHours) : first;
  const frame = slice(full, start, last + 1);
  let observedHours = 0;
  for (const v of frame.columns[target]!) if (!Number.isNaN(v)) observedHours++;
  if (query.minHours !== undefined && observedHours < query.minHours) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `${target} for region ${region} has ${observedHours} hours with values ` +
        `(${new Date(frame.ts[0]!).toISOString()} to ${new Date(frame.ts[frame.ts.length - 1]!).toISOString()}); ` +
        `this needs at least ${query.minHours} (context + horizon + validation window)`,
    );
  }
  return {
    frame,
    lastObserved: frame.ts[frame.ts.length - 1]!,
    observedHours,
    fingerprint: frameFingerprint(frame),
  };
}

export const nextHour = (ts: number) => ts + HOUR_MS;
