/**
 * Checks of the folders the settings name, made before a command opens a database or writes
 * anything: each failure is one line naming the setting and the path, in milliseconds, instead of
 * a hang, a stack trace or an embedded database left behind in the wrong place.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Config } from './config.js';

/** Kernel file systems: nothing of ours may live there (writes fail or hang, files vanish). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

const invalid = (message: string) => new DcgridError(ErrorCodes.CONFIG_INVALID, message);

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    default:
      return code ?? String(error);
  }
}

/** The path itself when it exists, else its nearest existing parent folder. */
async function nearestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw invalid(`${current}: ${errnoText(error)}`);
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** A folder dcgrid must be able to create (if missing) and write: `setting` names it in errors. */
export async function checkWritableFolder(setting: string, path: string): Promise<void> {
  const absolute = resolve(path);
  const name = `${setting}=${path}`;
  const existing = await nearestExisting(absolute);
  const real = await realpath(existing).catch(() => existing);
  const virtualRoot = VIRTUAL_ROOTS.find((root) => isUnder(absolute, root) || isUnder(real, root));
  if (virtualRoot !== undefined) {
    throw invalid(
      `${name}: ${virtualRoot} is a kernel file system, not a place for dcgrid's state; choose a writable folder`,
    );
  }
  const info = await stat(existing);
  if (!info.isDirectory()) {
    throw invalid(
      existing === absolute
        ? `${name}: this is a file, not a folder`
        : `${name}: cannot be created, ${existing} is a file`,
    );
  }
  try {
    await access(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    const what = existing === absolute ? 'cannot write to it' : `cannot create it in ${existing}`;
    throw invalid(`${name}: ${what}: ${errnoText(error)}; choose a writable folder`);
  }
}

/** A folder dcgrid reads (the raw input folder). */
export async function checkReadableFolder(setting: string, path: string): Promise<void> {
  const name = `${setting}=${path}`;
  let info;
  try {
    info = await stat(resolve(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(`${name}: ${code === 'ENOENT' ? 'no such folder' : errnoText(error)}`);
  }
  if (!info.isDirectory()) throw invalid(`${name}: this is a file, not a folder`);
  try {
    await access(resolve(path), constants.R_OK | constants.X_OK);
  } catch (error) {
    throw invalid(`${name}: cannot read it: ${errnoText(error)}`);
  }
}

export interface PathNeeds {
  /** The command reads DCGRID_RAW_DIR when it is set (ingest and pipeline without --download). */
  rawDir?: boolean;
}

/** Every folder the settings name that this command will use. */
export async function checkConfigPaths(config: Config, needs: PathNeeds = {}): Promise<void> {
  await checkWritableFolder('DCGRID_HOME', config.DCGRID_HOME);
  if (config.artifactUri.startsWith('file://')) {
    // Read as the file artifact store reads it: the rest of the URI is a path.
    await checkWritableFolder('ARTIFACT_URI', config.artifactUri.replace(/^file:\/\//, ''));
  }
  if (needs.rawDir && config.DCGRID_RAW_DIR !== undefined) {
    await checkReadableFolder('DCGRID_RAW_DIR (--raw-dir)', config.DCGRID_RAW_DIR);
  }
  if (config.DATABASE_URL !== undefined && !/^postgres(ql)?:\/\/./.test(config.DATABASE_URL)) {
    throw invalid('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }
}
