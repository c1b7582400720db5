/**
 * Checks shared by every tracking backend, so a run that works on the embedded backend also works on
 * MLflow: keys as MLflow accepts them (letters, digits, _ - . / and spaces, at most 250 characters,
 * and a path that normalises to itself: no leading or double /, no . or .. parts),
 * integer steps and timestamps.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { MetricPoint } from './tracker.js';

export const MAX_KEY_LENGTH = 250;
const KEY_PATTERN = /^[\w./\- ]+$/;

export function checkTagKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key) || !pathLike(key)) {
    throw new DcgridError(
      ErrorCodes.TRACKING,
      `invalid key "${key.slice(0, 60)}": use 1-${MAX_KEY_LENGTH} letters, digits, spaces or _ - . /, ` +
        'as a path that does not start with / and has no empty, . or .. parts',
    );
  }
}

/** MLflow may store keys as file names: it refuses one that a path would normalise to another name. */
function pathLike(key: string): boolean {
  const parts = key.split('/');
  return parts.every((part) => part !== '' && part !== '.' && part !== '..');
}

export function checkMetricPoints(points: readonly MetricPoint[]): void {
  for (const p of points) {
    checkTagKey(p.key);
    if (typeof p.value !== 'number') {
      throw new DcgridError(ErrorCodes.TRACKING, `metric "${p.key}": value must be a number`);
    }
    if (!Number.isSafeInteger(p.step)) {
      throw new DcgridError(ErrorCodes.TRACKING, `metric "${p.key}": step must be an integer, got ${p.step}`);
    }
    if (!Number.isSafeInteger(p.timestamp) || p.timestamp < 0) {
      throw new DcgridError(
        ErrorCodes.TRACKING,
        `metric "${p.key}": timestamp must be epoch milliseconds, got ${p.timestamp}`,
      );
    }
  }
}
