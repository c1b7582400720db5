import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { describeKey } from './layout.js';
import type { VersionKey } from './store.js';

export function versionExists(store: string, key: VersionKey): DcgridError {
  return new DcgridError(
    ErrorCodes.ARTIFACT,
    `${store}: ${describeKey(key)} exists already; versions are never overwritten`,
  );
}

export function versionMissing(store: string, key: VersionKey): DcgridError {
  return new DcgridError(
    ErrorCodes.ARTIFACT,
    `${store}: ${describeKey(key)} is missing or incomplete (no _COMPLETE marker); it cannot be read`,
  );
}

export function cancelled(key: VersionKey): DcgridError {
  return new DcgridError(ErrorCodes.INTERRUPTED, `writing ${describeKey(key)} was cancelled`);
}
