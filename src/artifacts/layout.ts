/** Names and paths of the artifact layout, checked so a key can never escape its folder. */
import { REGIONS, type Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { VersionFilter, VersionKey } from './store.js';

export const METADATA_FILE = 'metadata.json';
export const COMPLETE_MARKER = '_COMPLETE';
export const MODELS_FOLDER = 'models';
/**
 * Leftovers of an interrupted write are removed once nothing in them changed for this long: long
 * enough that no write still in progress (a slow upload elsewhere) is harmed.
 */
export const DEFAULT_INCOMPLETE_AGE_MS = 3_600_000;
const RESERVED = new Set([METADATA_FILE, COMPLETE_MARKER]);

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkKey(key: VersionKey): void {
  if (!(REGIONS as readonly string[]).includes(key.region)) {
    throw new DcgridError(ErrorCodes.ARTIFACT, `unknown region "${key.region}"`);
  }
  for (const [what, value] of [
    ['target', key.target],
    ['model', key.model],
  ] as const) {
    if (!SEGMENT.test(value)) {
      throw new DcgridError(
        ErrorCodes.ARTIFACT,
        `invalid ${what} name "${value}": use letters, digits, _ and -`,
      );
    }
  }
  if (!Number.isSafeInteger(key.version) || key.version < 1) {
    throw new DcgridError(
      ErrorCodes.ARTIFACT,
      `invalid version ${key.version}: versions are whole numbers from 1`,
    );
  }
}

export function checkFileName(name: string): void {
  if (!FILE_NAME.test(name) || name.includes('..')) {
    throw new DcgridError(ErrorCodes.ARTIFACT, `invalid artifact file name "${name}"`);
  }
  if (RESERVED.has(name)) {
    throw new DcgridError(
      ErrorCodes.ARTIFACT,
      `"${name}" is reserved for the artifact store; rename the model file`,
    );
  }
}

/** models/{REGION}/{TARGET}/{MODEL}/{version} (no trailing slash). */
export function versionPath(key: VersionKey): string {
  checkKey(key);
  return `${MODELS_FOLDER}/${key.region}/${key.target}/${key.model}/${key.version}`;
}

/** The folder to list for a filter: as deep as the filter goes without gaps. */
export function filterPath(filter: VersionFilter = {}): string {
  const parts = [MODELS_FOLDER];
  for (const part of [filter.region, filter.target, filter.model]) {
    if (part === undefined) break;
    parts.push(part);
  }
  return parts.join('/');
}

/** Parses `models/IE/dc_load_mw/xgb/3` back into a key; undefined for anything else. */
export function parseVersionPath(path: string): VersionKey | undefined {
  const m = /^models\/([^/]+)\/([^/]+)\/([^/]+)\/([1-9][0-9]*)$/.exec(path);
  if (m === null) return undefined;
  const key = { region: m[1] as Region, target: m[2]!, model: m[3]!, version: Number(m[4]) };
  try {
    checkKey(key);
    return key;
  } catch {
    return undefined;
  }
}

export function matchesFilter(key: VersionKey, filter: VersionFilter = {}): boolean {
  return (
    (filter.region === undefined || key.region === filter.region) &&
    (filter.target === undefined || key.target === filter.target) &&
    (filter.model === undefined || key.model === filter.model)
  );
}

export function compareKeys(a: VersionKey, b: VersionKey): number {
  return (
    a.region.localeCompare(b.region) ||
    a.target.localeCompare(b.target) ||
    a.model.localeCompare(b.model) ||
    a.version - b.version
  );
}

export function describeKey(key: VersionKey): string {
  return `${key.region}/${key.target}/${key.model} v${key.version}`;
}
