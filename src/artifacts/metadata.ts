/**
 * metadata.json: what a version is (features, params, training window, metrics, data fingerprint,
 * run id, code version) and its file manifest (name, size, sha256) that readers verify; and the
 * _COMPLETE marker, which carries the sha256 of metadata.json so the metadata is verified too.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { REGIONS } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { ModelFiles } from '../models/types.js';
import { checkFileName, describeKey } from './layout.js';
import type { VersionKey } from './store.js';

const FORMAT = 'dcgrid-model';
const FORMAT_VERSION = 1;

const fileEntry = z.object({
  name: z.string(),
  sizeBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileEntry = z.infer<typeof fileEntry>;

const metadataSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  region: z.enum(REGIONS),
  target: z.string(),
  model: z.string(),
  version: z.number().int().min(1),
  runId: z.string().nullable(),
  createdAt: z.string(),
  features: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  horizon: z.number().int().optional(),
  contextLength: z.number().int().optional(),
  quantiles: z.array(z.number()).optional(),
  /** ISO-8601 UTC instants: the first and last hour the model was trained on. */
  trainingWindow: z.object({ from: z.string(), to: z.string() }).nullable(),
  /** Backtest metrics; null where a value was not finite. */
  metrics: z.record(z.string(), z.number().nullable()),
  dataFingerprint: z.string(),
  code: z.object({ version: z.string(), gitCommit: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()).optional(),
  files: z.array(fileEntry),
});
export type ModelMetadata = z.infer<typeof metadataSchema>;

/** What the writer supplies; the store adds the format, the key and the file manifest. */
export type VersionInfo = Omit<
  ModelMetadata,
  'format' | 'formatVersion' | 'region' | 'target' | 'model' | 'version' | 'files'
>;

const markerSchema = z.object({
  metadataSha256: z.string().regex(/^[0-9a-f]{64}$/),
  completedAt: z.string(),
});

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface PreparedVersion {
  metadata: ModelMetadata;
  /** Model files in name order, then metadata.json; the marker is separate (written last). */
  files: Array<{ name: string; bytes: Uint8Array }>;
  metadataBytes: Uint8Array;
  markerBytes: Uint8Array;
}

export function prepareVersion(key: VersionKey, files: ModelFiles, info: VersionInfo): PreparedVersion {
  const names = Object.keys(files).sort();
  if (names.length === 0)
    throw new DcgridError(ErrorCodes.ARTIFACT, `${describeKey(key)}: no model files to store`);
  for (const name of names) checkFileName(name);
  const entries = names.map((name) => ({ name, bytes: files[name]! }));
  const metadata: ModelMetadata = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    region: key.region,
    target: key.target,
    model: key.model,
    version: key.version,
    ...info,
    files: entries.map(({ name, bytes }) => ({ name, sizeBytes: bytes.byteLength, sha256: sha256(bytes) })),
  };
  const metadataBytes = new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`);
  const markerBytes = new TextEncoder().encode(
    `${JSON.stringify({ metadataSha256: sha256(metadataBytes), completedAt: new Date().toISOString() })}\n`,
  );
  return { metadata, files: entries, metadataBytes, markerBytes };
}

function corrupt(where: string, problem: string): DcgridError {
  return new DcgridError(ErrorCodes.ARTIFACT, `${where}: ${problem}`);
}

/** Checks metadata.json against the marker and parses it. */
export function verifyMetadata(
  where: string,
  markerBytes: Uint8Array,
  metadataBytes: Uint8Array,
): ModelMetadata {
  let marker: z.infer<typeof markerSchema>;
  try {
    marker = markerSchema.parse(JSON.parse(new TextDecoder().decode(markerBytes)));
  } catch {
    throw corrupt(where, 'the _COMPLETE marker is unreadable');
  }
  if (sha256(metadataBytes) !== marker.metadataSha256) {
    throw corrupt(where, 'metadata.json does not match the sha256 in _COMPLETE (changed or damaged)');
  }
  const parsed = metadataSchema.safeParse(safeJson(metadataBytes));
  if (!parsed.success)
    throw corrupt(where, `metadata.json is not valid: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Checks one file against the manifest. */
export function verifyFile(where: string, entry: FileEntry, bytes: Uint8Array): void {
  if (bytes.byteLength !== entry.sizeBytes) {
    throw corrupt(
      where,
      `${entry.name} has ${bytes.byteLength} bytes, metadata.json says ${entry.sizeBytes}`,
    );
  }
  if (sha256(bytes) !== entry.sha256)
    throw corrupt(where, `${entry.name} does not match its sha256 in metadata.json`);
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
