/**
 * The artifact store in an S3 bucket (AWS or any S3 server: path-style addressing, S3_ENDPOINT).
 * S3 has no atomic rename, so a version is written in place and committed by its marker: every
 * model file, then metadata.json, then `_COMPLETE` (which holds the sha256 of metadata.json, whose
 * manifest holds the sha256 of every file). Readers refuse a version without its marker and check
 * every checksum. Uploads carry Content-MD5, so the server rejects a body damaged on the way.
 * Leftovers of an interrupted write (no marker) are deleted before the version is written again.
 * Objects are deleted one by one (batch DeleteObjects needs Content-MD5, which not every SDK sends).
 */
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { ModelFiles } from '../../models/types.js';
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
import { isNotFound, s3Error } from './errors.js';

export interface S3StoreOptions {
  /** s3://bucket[/prefix] */
  uri: string;
  /** S3_ENDPOINT; undefined: AWS itself. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /**
   * Objects of a version without its marker are removed once none changed for this long (default
   * one hour): by `removeIncomplete()` and before each write of another version of the model.
   */
  incompleteAgeMs?: number;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000). */
  pageSize?: number;
  /** Attempts per request, retries included (default 3). */
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (m === null || m[1] === '') {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `ARTIFACT_URI "${uri}" is not s3://bucket[/prefix]`);
  }
  const prefix = m[2]!.replace(/^\/+|\/+$/g, '');
  return { bucket: m[1]!, prefix: prefix === '' ? '' : `${prefix}/` };
}

export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3';
  readonly rootUri: string;
  readonly description: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  /** Where `models/` starts: the prefix, or its parent when the prefix ends in a `models` folder. */
  readonly #base: string;
  readonly #where: string;
  readonly #pageSize: number;
  readonly #incompleteAgeMs: number;

  constructor(options: S3StoreOptions) {
    const { bucket, prefix } = parseS3Uri(options.uri);
    this.bucket = bucket;
    this.prefix = prefix;
    this.#base =
      prefix === `${MODELS_FOLDER}/` || prefix.endsWith(`/${MODELS_FOLDER}/`)
        ? prefix.slice(0, -MODELS_FOLDER.length - 1)
        : prefix;
    this.rootUri = `s3://${bucket}/${prefix}`;
    this.#where =
      options.endpoint !== undefined ? `S3 endpoint ${options.endpoint}` : `AWS S3 (${options.region})`;
    this.description = `S3 bucket ${bucket} at ${options.endpoint ?? `AWS ${options.region}`}`;
    this.#pageSize = options.pageSize ?? 1000;
    this.#incompleteAgeMs = options.incompleteAgeMs ?? DEFAULT_INCOMPLETE_AGE_MS;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.accessKeyId !== undefined && options.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
      maxAttempts: options.maxAttempts ?? 3,
      // Integrity comes from Content-MD5 on upload and our own sha256 checks on read; the SDK's
      // newer default checksums are not understood by every S3 server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        requestTimeout: options.requestTimeoutMs ?? 60_000,
      },
    });
  }

  versionUri(key: VersionKey): string {
    return `s3://${this.bucket}/${this.#base}${versionPath(key)}/`;
  }

  async writeVersion(
    key: VersionKey,
    files: ModelFiles,
    info: VersionInfo,
    options: WriteOptions = {},
  ): Promise<StoredVersion> {
    const prepared = prepareVersion(key, files, info);
    const folder = `${this.#base}${versionPath(key)}/`;
    if (await this.#exists(folder + COMPLETE_MARKER)) throw versionExists(this.description, key);
    // Leftovers of other versions of this model, old enough that no writer is still at work.
    await this.removeIncomplete({
      filter: { region: key.region, target: key.target, model: key.model },
    }).catch(() => []);
    // Leftovers of an interrupted earlier write of this version: no marker, so nobody reads them.
    for (const leftover of await this.#listKeys(folder)) await this.#delete(leftover.key);
    const written: string[] = [];
    try {
      const total = prepared.files.length;
      for (const [index, { name, bytes }] of prepared.files.entries()) {
        if (options.signal?.aborted) throw cancelled(key);
        await this.#put(folder + name, bytes, `uploading ${describeKey(key)} ${name}`);
        written.push(folder + name);
        await options.onFile?.(name, index + 1, total);
      }
      if (options.signal?.aborted) throw cancelled(key);
      await this.#put(
        folder + METADATA_FILE,
        prepared.metadataBytes,
        `uploading ${describeKey(key)} metadata`,
      );
      written.push(folder + METADATA_FILE);
      await this.#put(folder + COMPLETE_MARKER, prepared.markerBytes, `committing ${describeKey(key)}`);
    } catch (error) {
      // Best effort: whatever stays behind has no marker and is removed by the next write.
      for (const objectKey of written) await this.#delete(objectKey).catch(() => undefined);
      throw error;
    }
    return { key, uri: this.versionUri(key), metadata: prepared.metadata };
  }

  async readMetadata(key: VersionKey): Promise<ModelMetadata> {
    const folder = `${this.#base}${versionPath(key)}/`;
    const marker = await this.#get(folder + COMPLETE_MARKER, `reading ${describeKey(key)}`);
    if (marker === undefined) throw versionMissing(this.description, key);
    const metadataBytes = await this.#get(folder + METADATA_FILE, `reading ${describeKey(key)} metadata`);
    if (metadataBytes === undefined) {
      throw new DcgridError(ErrorCodes.ARTIFACT, `${this.versionUri(key)}: metadata.json is missing`);
    }
    return verifyMetadata(this.versionUri(key), marker, metadataBytes);
  }

  async readVersion(key: VersionKey): Promise<{ files: ModelFiles; metadata: ModelMetadata }> {
    const metadata = await this.readMetadata(key);
    const folder = `${this.#base}${versionPath(key)}/`;
    const files: ModelFiles = {};
    for (const entry of metadata.files) {
      const bytes = await this.#get(folder + entry.name, `reading ${describeKey(key)} ${entry.name}`);
      if (bytes === undefined) {
        throw new DcgridError(ErrorCodes.ARTIFACT, `${this.versionUri(key)}: ${entry.name} is missing`);
      }
      verifyFile(this.versionUri(key), entry, bytes);
      files[entry.name] = bytes;
    }
    return { files, metadata };
  }

  async hasVersion(key: VersionKey): Promise<boolean> {
    return this.#exists(`${this.#base}${versionPath(key)}/${COMPLETE_MARKER}`);
  }

  async deleteVersion(key: VersionKey): Promise<void> {
    const folder = `${this.#base}${versionPath(key)}/`;
    await this.#delete(folder + COMPLETE_MARKER);
    for (const object of await this.#listKeys(folder)) await this.#delete(object.key);
  }

  async listVersions(filter: VersionFilter = {}): Promise<VersionKey[]> {
    const keys: VersionKey[] = [];
    for (const { key } of await this.#listKeys(`${this.#base}${filterPath(filter)}/`)) {
      if (!key.endsWith(`/${COMPLETE_MARKER}`)) continue;
      const parsed = parseVersionPath(key.slice(this.#base.length, -COMPLETE_MARKER.length - 1));
      if (parsed !== undefined && matchesFilter(parsed, filter)) keys.push(parsed);
    }
    return keys.sort(compareKeys);
  }

  /** Removes folders without a marker once none of their objects changed for `olderThanMs`. */
  async removeIncomplete(options: RemoveIncompleteOptions = {}): Promise<string[]> {
    const olderThanMs = options.olderThanMs ?? this.#incompleteAgeMs;
    const byFolder = new Map<string, Array<{ key: string; modified: number }>>();
    for (const object of await this.#listKeys(`${this.#base}${filterPath(options.filter)}/`)) {
      const folder = object.key.slice(0, object.key.lastIndexOf('/') + 1);
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), object]);
    }
    const removed: string[] = [];
    for (const [folder, objects] of byFolder) {
      if (objects.some((o) => o.key === folder + COMPLETE_MARKER)) continue;
      const newest = Math.max(...objects.map((o) => o.modified));
      // S3 stamps objects to the second with the server's clock, so "now" may read as before them.
      if (olderThanMs > 0 && Date.now() - newest < olderThanMs) continue;
      for (const object of objects) await this.#delete(object.key);
      removed.push(`s3://${this.bucket}/${folder}`);
    }
    return removed;
  }

  async #put(key: string, bytes: Uint8Array, doing: string): Promise<void> {
    const md5 = createHash('md5').update(bytes).digest('base64');
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentMD5: md5 }),
      );
    } catch (error) {
      throw s3Error(this.#where, this.bucket, doing, error);
    }
  }

  async #get(key: string, doing: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await response.Body!.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Error(this.#where, this.bucket, doing, error);
    }
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw s3Error(this.#where, this.bucket, `checking ${key}`, error);
    }
  }

  async #delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw s3Error(this.#where, this.bucket, `deleting ${key}`, error);
    }
  }

  /** Every object under a prefix, following continuation tokens page by page. */
  async #listKeys(prefix: string): Promise<Array<{ key: string; modified: number }>> {
    const objects: Array<{ key: string; modified: number }> = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: this.#pageSize,
            ...(token !== undefined ? { ContinuationToken: token } : {}),
          }),
        );
      } catch (error) {
        throw s3Error(this.#where, this.bucket, `listing ${prefix}`, error);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined)
          objects.push({ key: object.Key, modified: object.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  }
}
