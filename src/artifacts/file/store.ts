/**
 * The artifact store in a local folder. A version is written into
 * `{version}.tmp-{pid}@{host}-{random}/` (each file and the folder flushed to disk), the marker
 * last, and the folder is then renamed to `{version}/`: a rename is atomic, so readers see a whole
 * version or none. The rename fails if the version exists, so a version is never overwritten.
 * `{host}` is a short hash of the writer's host name, so a folder shared between machines never
 * takes another machine's pid for one of its own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { ModelFiles } from '../../models/types.js';
import { isProcessAlive } from '../../tracking/process-identity.js';
import { cancelled, versionExists, versionMissing } from '../errors.js';
import {
  COMPLETE_MARKER,
  compareKeys,
  DEFAULT_INCOMPLETE_AGE_MS,
  describeKey,
  filterPath,
  matchesFilter,
  METADATA_FILE,
  MODELS_FOLDER,
  parseVersionPath,
  versionPath,
} from '../layout.js';
import {
  prepareVersion,
  verifyFile,
  verifyMetadata,
  type ModelMetadata,
  type VersionInfo,
} from '../metadata.js';
import type {
  ArtifactStore,
  RemoveIncompleteOptions,
  StoredVersion,
  VersionFilter,
  VersionKey,
  WriteOptions,
} from '../store.js';

/** `{version}.tmp-{pid}[@{host}]-{random}`; folders written before the host was recorded lack it. */
const TMP_PATTERN = /^([1-9][0-9]*)\.tmp-(\d+)(?:@([0-9a-f]{8}))?-[0-9a-f]+$/;
/** This host, as temporary folder names record it. */
export const THIS_HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const DELETING_PATTERN = /^[1-9][0-9]*\.deleting-[0-9a-f]+$/;

export class FileArtifactStore implements ArtifactStore {
  readonly kind = 'file';
  readonly root: string;
  readonly description: string;
  /** The folder that holds `models/`: the root, or its parent when the root is a `models` folder. */
  readonly #base: string;

  constructor(readonly rootUri: string) {
    this.root = resolve(rootUri.replace(/^file:\/\//, ''));
    this.#base = basename(this.root) === MODELS_FOLDER ? dirname(this.root) : this.root;
    this.description = `artifact folder ${this.root}`;
  }

  versionUri(key: VersionKey): string {
    return `file://${this.#folder(key)}/`;
  }

  #folder(key: VersionKey): string {
    return join(this.#base, versionPath(key));
  }

  async writeVersion(
    key: VersionKey,
    files: ModelFiles,
    info: VersionInfo,
    options: WriteOptions = {},
  ): Promise<StoredVersion> {
    const prepared = prepareVersion(key, files, info);
    await this.removeIncomplete({ filter: modelOf(key) }).catch(() => []);
    const final = this.#folder(key);
    if (await exists(join(final, COMPLETE_MARKER))) throw versionExists(this.description, key);
    await this.#mkdir(dirname(final));
    const tmp = `${final}.tmp-${process.pid}@${THIS_HOST}-${randomBytes(6).toString('hex')}`;
    await this.#mkdir(tmp);
    try {
      const total = prepared.files.length;
      for (const [index, { name, bytes }] of prepared.files.entries()) {
        if (options.signal?.aborted) throw cancelled(key);
        await writeDurably(join(tmp, name), bytes);
        await options.onFile?.(name, index + 1, total);
      }
      if (options.signal?.aborted) throw cancelled(key);
      await writeDurably(join(tmp, METADATA_FILE), prepared.metadataBytes);
      await writeDurably(join(tmp, COMPLETE_MARKER), prepared.markerBytes);
      await syncFolder(tmp);
      try {
        await rename(tmp, final);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw versionExists(this.description, key);
        throw error;
      }
      await syncFolder(dirname(final));
    } catch (error) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw this.#wrap(error, `writing ${describeKey(key)}`);
    }
    return { key, uri: this.versionUri(key), metadata: prepared.metadata };
  }

  async readMetadata(key: VersionKey): Promise<ModelMetadata> {
    const folder = this.#folder(key);
    const marker = await readOptional(join(folder, COMPLETE_MARKER));
    if (marker === undefined) throw versionMissing(this.description, key);
    const metadataBytes = await readOptional(join(folder, METADATA_FILE));
    if (metadataBytes === undefined) {
      throw new DcgridError(ErrorCodes.ARTIFACT, `${this.versionUri(key)}: metadata.json is missing`);
    }
    return verifyMetadata(this.versionUri(key), marker, metadataBytes);
  }

  async readVersion(key: VersionKey): Promise<{ files: ModelFiles; metadata: ModelMetadata }> {
    const metadata = await this.readMetadata(key);
    const folder = this.#folder(key);
    const files: ModelFiles = {};
    for (const entry of metadata.files) {
      const bytes = await readOptional(join(folder, entry.name));
      if (bytes === undefined) {
        throw new DcgridError(ErrorCodes.ARTIFACT, `${this.versionUri(key)}: ${entry.name} is missing`);
      }
      verifyFile(this.versionUri(key), entry, bytes);
      files[entry.name] = bytes;
    }
    return { files, metadata };
  }

  async hasVersion(key: VersionKey): Promise<boolean> {
    return exists(join(this.#folder(key), COMPLETE_MARKER));
  }

  async deleteVersion(key: VersionKey): Promise<void> {
    const final = this.#folder(key);
    const doomed = `${final}.deleting-${randomBytes(6).toString('hex')}`;
    try {
      await rename(final, doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw this.#wrap(error, `deleting ${describeKey(key)}`);
    }
    await rm(doomed, { recursive: true, force: true });
  }

  async listVersions(filter: VersionFilter = {}): Promise<VersionKey[]> {
    const keys: VersionKey[] = [];
    for (const relative of await this.#versionFolders(filterPath(filter))) {
      const key = parseVersionPath(relative);
      if (key !== undefined && matchesFilter(key, filter) && (await this.hasVersion(key))) keys.push(key);
    }
    return keys.sort(compareKeys);
  }

  /**
   * Removes `.tmp-` folders of interrupted writes: at once when their writer was a process of this
   * host that is gone, otherwise once nothing in them has changed for `olderThanMs` (a writer on
   * another machine sharing the folder may still be at work). Half-deleted `.deleting-` folders
   * always go.
   */
  async removeIncomplete(options: RemoveIncompleteOptions = {}): Promise<string[]> {
    const olderThanMs = options.olderThanMs ?? DEFAULT_INCOMPLETE_AGE_MS;
    const removed: string[] = [];
    for (const relative of await this.#versionFolders(filterPath(options.filter), true)) {
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      const tmp = TMP_PATTERN.exec(name);
      const deleting = DELETING_PATTERN.test(name);
      if (tmp === null && !deleting) continue;
      const path = join(this.#base, relative);
      const writerGone = tmp !== null && tmp[3] === THIS_HOST && !isProcessAlive(Number(tmp[2]), null);
      if (deleting || writerGone || (await lastChange(path)) <= Date.now() - olderThanMs) {
        await rm(path, { recursive: true, force: true });
        removed.push(`file://${path}`);
      }
    }
    return removed;
  }

  /** Folders four levels under models/ (region/target/model/version), relative to the base. */
  async #versionFolders(start: string, includeTemporary = false): Promise<string[]> {
    const depth = 5 - start.split('/').length;
    let level = [start];
    for (let d = 0; d < depth; d++) {
      const next: string[] = [];
      for (const folder of level) {
        let entries;
        try {
          entries = await readdir(join(this.#base, folder), { withFileTypes: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw this.#wrap(error, `listing ${folder}`);
        }
        for (const entry of entries) {
          if (!entry.isDirectory()) continue;
          const last = d === depth - 1;
          if (last && !includeTemporary && !/^[1-9][0-9]*$/.test(entry.name)) continue;
          next.push(`${folder}/${entry.name}`);
        }
      }
      level = next;
    }
    return level;
  }

  async #mkdir(path: string): Promise<void> {
    try {
      await mkdir(path, { recursive: true });
    } catch (error) {
      throw this.#wrap(error, `creating ${path}`);
    }
  }

  #wrap(error: unknown, doing: string): unknown {
    if (error instanceof DcgridError) return error;
    const e = error as NodeJS.ErrnoException;
    return new DcgridError(
      ErrorCodes.ARTIFACT,
      `${this.description}: ${doing} failed: ${e.code ?? ''} ${e.message ?? String(error)}`.replace(
        /\s+/g,
        ' ',
      ),
      {},
      { cause: error },
    );
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function modelOf(key: VersionKey): VersionFilter {
  return { region: key.region, target: key.target, model: key.model };
}

/** The newest modification time of a folder and of the files in it (epoch ms); 0 once it is gone. */
async function lastChange(folder: string): Promise<number> {
  try {
    let newest = (await stat(folder)).mtimeMs;
    for (const entry of await readdir(folder)) {
      const time = await stat(join(folder, entry)).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      newest = Math.max(newest, time);
    }
    return newest;
  } catch {
    return 0;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
