/**
 * Files under an MLflow run's artifact root, written as MLflow's own clients write them:
 * - `mlflow-artifacts:/...` (a server started with --serve-artifacts, the 2.x default): through the
 *   tracking server's artifact proxy;
 * - a path (`/srv/mlruns/...` or `file://...`; a server with --no-serve-artifacts and a local
 *   artifact root): straight into that folder, which works where this machine shares it with the
 *   server. The server is then asked to list what was written; a folder it cannot see (the same
 *   path on another machine) is found out that way and the copies are removed.
 * Other roots (s3://, gs://, ...) are not written: dcgrid holds no credentials for them.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactIndexEntry } from '../tracker.js';
import { proxiedArtifactPath } from './artifact-path.js';
import type { MlflowClient } from './client.js';

export const ARTIFACT_INDEX_FILE = 'dcgrid-artifacts.json';

export type RunArtifactAccess = 'proxied' | 'local';

export interface RunArtifactRoot {
  runId: string;
  /** The run's artifact_uri as MLflow reports it. */
  artifactUri: string | undefined;
}

/** The folder a run's artifact root names on this machine, when it is a path. */
export function localArtifactPath(artifactUri: string | undefined): string | undefined {
  if (artifactUri === undefined) return undefined;
  if (artifactUri.startsWith('file://')) return fileURLToPath(artifactUri);
  return artifactUri.startsWith('/') ? artifactUri : undefined;
}

/**
 * Writes files under `folder` ('' for the root) of a run's artifacts. Returns how they were written,
 * or undefined when this machine cannot write where MLflow would see them (nothing is left behind).
 */
export async function writeRunArtifacts(
  client: MlflowClient,
  run: RunArtifactRoot,
  folder: string,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<RunArtifactAccess | undefined> {
  const relative = (name: string) => (folder === '' ? name : `${folder}/${name}`);
  if (proxiedArtifactPath(run.artifactUri) !== undefined) {
    for (const [name, bytes] of Object.entries(files)) {
      await client.uploadRunArtifact(run.artifactUri, relative(name), bytes);
    }
    return 'proxied';
  }
  const root = localArtifactPath(run.artifactUri);
  if (root === undefined) return undefined;
  if (folder.split('/').includes('..')) throw new Error(`artifact folder "${folder}" leaves the run`);
  const target = join(root, folder);
  let created: string | undefined;
  try {
    created = await mkdir(target, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(target, name), bytes);
  } catch (error) {
    if (isNoAccess(error)) return undefined;
    throw error;
  }
  if (await serverSees(client, run.runId, folder, files)) return 'local';
  // Written where the server does not look: remove what was written, and the folders made for it.
  if (created !== undefined) await rm(created, { recursive: true, force: true });
  else for (const name of Object.keys(files)) await rm(join(target, name), { force: true });
  return undefined;
}

/** `dcgrid-artifacts.json`: where each of the run's files is in dcgrid's artifact store. */
export function artifactIndexBytes(entries: readonly ArtifactIndexEntry[]): Uint8Array {
  const files = [...entries].sort((a, b) => a.path.localeCompare(b.path));
  return new TextEncoder().encode(
    `${JSON.stringify({ format: 'dcgrid-artifacts', version: 1, files }, null, 2)}\n`,
  );
}

async function serverSees(
  client: MlflowClient,
  runId: string,
  folder: string,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<boolean> {
  const listed = await client.listRunArtifacts(runId, folder === '' ? undefined : folder);
  const sizes = new Map(listed.map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1), f.file_size]));
  return Object.entries(files).every(([name, bytes]) => sizes.get(name) === bytes.length);
}

function isNoAccess(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR';
}
