/**
 * The artifact store: model versions as files, in a folder (file://) or an S3 bucket (s3://).
 * Layout: models/{REGION}/{TARGET}/{MODEL}/{version}/ holds the model's files (portable formats
 * only: JSON, UBJ, raw float32), metadata.json and, written last, the _COMPLETE marker. A version
 * without its marker does not exist for readers. See docs/MLOPS.md.
 */
import type { Region } from '../config/config.js';
import type { ModelFiles } from '../models/types.js';
import type { ModelMetadata, VersionInfo } from './metadata.js';

export interface VersionKey {
  region: Region;
  target: string;
  model: string;
  version: number;
}

export type VersionFilter = Partial<Omit<VersionKey, 'version'>>;

export interface StoredVersion {
  key: VersionKey;
  /** The version's folder, e.g. s3://bucket/prefix/models/IE/dc_load_mw/xgb/3/ */
  uri: string;
  metadata: ModelMetadata;
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Called after each file is stored (awaited): progress bars, logs. */
  onFile?: (name: string, index: number, total: number) => void | Promise<void>;
}

export interface RemoveIncompleteOptions {
  /** Leftovers younger than this may belong to a write in progress (default one hour). */
  olderThanMs?: number;
  /** Only under this region / target / model. */
  filter?: VersionFilter;
}

export interface ArtifactStore {
  readonly kind: 'file' | 's3';
  /** The store's root, as configured (ARTIFACT_URI). */
  readonly rootUri: string;
  /** For messages: "folder /x" or "S3 bucket b at http://host:9000". */
  readonly description: string;
  versionUri(key: VersionKey): string;
  /**
   * Stores a complete version, or nothing a reader would accept: the marker goes last. Fails with
   * E_ARTIFACT if the version exists already. One writer per version at a time (the registry
   * holds a database lock while it writes).
   */
  writeVersion(
    key: VersionKey,
    files: ModelFiles,
    info: VersionInfo,
    options?: WriteOptions,
  ): Promise<StoredVersion>;
  /** The version's files and metadata, after checking the marker, every size and every sha256. */
  readVersion(key: VersionKey): Promise<{ files: ModelFiles; metadata: ModelMetadata }>;
  /** The metadata only (marker and metadata checksum checked). */
  readMetadata(key: VersionKey): Promise<ModelMetadata>;
  /** True when the version is complete (has its marker). */
  hasVersion(key: VersionKey): Promise<boolean>;
  /** Complete versions, sorted by region, target, model, version. */
  listVersions(filter?: VersionFilter): Promise<VersionKey[]>;
  /**
   * Deletes a version: the marker first (file store: the folder is renamed away first), so a
   * version is never seen half deleted. Deleting a missing version does nothing.
   */
  deleteVersion(key: VersionKey): Promise<void>;
  /**
   * Deletes what interrupted writes left behind (versions without a marker) once they are older
   * than `olderThanMs` (default one hour, so a write in progress elsewhere is left alone); the file
   * store removes at once the temporary folder of a writer process of this host that is gone.
   * `writeVersion` runs it for its model first, and the CLI at the start of the training commands.
   * Returns the URIs removed.
   */
  removeIncomplete(options?: RemoveIncompleteOptions): Promise<string[]>;
}
