/**
 * Mirrors the registry to MLflow's model registry. One registered model per (region, target),
 * `dcgrid-{REGION}-{TARGET}`, holding the versions of every model kind (tagged dcgrid.model and
 * dcgrid.version): MLflow aliases are unique within a registered model, which matches the rule of
 * one champion per (region, target) across models. Aliases: `champion` on the champion,
 * `challenger` on the newest challenger.
 *
 * A version's files and metadata.json are written among its run's artifacts, at
 * models/{model}/v{version}/ (through the artifact proxy, or into the run's folder where this
 * machine shares it with the server: run-artifacts.ts), with the run's artifact index
 * dcgrid-artifacts.json; that folder, under the run's artifact root, is the version's source, as
 * MLflow's own `register_model("runs:/<run>/<path>")` resolves it. Where no such copy can be
 * written, the source is dcgrid's artifact URI, which MLflow accepts when it is not a local path
 * (s3://...); a local one (file://) cannot be a source, and registration fails saying what to change.
 */
import type { ModelFiles } from '../models/types.js';
import type { MlflowClient } from '../tracking/mlflow/client.js';
import {
  ARTIFACT_INDEX_FILE,
  artifactIndexBytes,
  writeRunArtifacts,
} from '../tracking/mlflow/run-artifacts.js';
import { MlflowError } from '../tracking/mlflow/transport.js';
import type { ArtifactIndexEntry } from '../tracking/tracker.js';
import type { ModelAlias, SeriesKey, VersionRef } from './types.js';

export function registeredModelName(series: SeriesKey): string {
  return `dcgrid-${series.region}-${series.target}`;
}

export interface MirrorVersionInput extends VersionRef {
  alias: ModelAlias;
  artifactUri: string;
  files: ModelFiles;
  metadataBytes: Uint8Array;
  dataFingerprint: string;
  /** The MLflow run that trained it, when the run was mirrored. */
  mlflowRunId: string | null;
  /** Every artifact of that run (dcgrid-artifacts.json). */
  runArtifacts: readonly ArtifactIndexEntry[];
  reason: string;
  /** Called just before the MLflow version is requested: from then on MLflow may point at the files. */
  onCreatingVersion?: () => void;
}

export class MlflowRegistryMirror {
  constructor(readonly client: MlflowClient) {}

  get server(): string {
    return this.client.server;
  }

  async registerVersion(input: MirrorVersionInput): Promise<{ name: string; version: string }> {
    const name = registeredModelName(input);
    await this.client.getOrCreateRegisteredModel(name, {
      description: `dcgrid forecasts of ${input.target} for ${input.region}`,
    });
    const source = (await this.#copyToRun(input)) ?? this.#dcgridSource(input);
    input.onCreatingVersion?.();
    const created = await this.client.createModelVersion({
      name,
      source,
      ...(input.mlflowRunId !== null ? { runId: input.mlflowRunId } : {}),
      description: input.reason,
      tags: {
        'dcgrid.model': input.model,
        'dcgrid.version': String(input.version),
        'dcgrid.artifact_uri': input.artifactUri,
        'dcgrid.data_fingerprint': input.dataFingerprint,
      },
    });
    return { name, version: created.version };
  }

  /** Writes the files under the MLflow run; the folder's URI, or undefined where none could be written. */
  async #copyToRun(input: MirrorVersionInput): Promise<string | undefined> {
    if (input.mlflowRunId === null) return undefined;
    const run = await this.client.getRun(input.mlflowRunId);
    const root = { runId: run.info.run_id, artifactUri: run.info.artifact_uri };
    const folder = `models/${input.model}/v${input.version}`;
    const files = { ...input.files, 'metadata.json': input.metadataBytes };
    if ((await writeRunArtifacts(this.client, root, folder, files)) === undefined) return undefined;
    if (input.runArtifacts.length > 0) {
      await writeRunArtifacts(this.client, root, '', {
        [ARTIFACT_INDEX_FILE]: artifactIndexBytes(input.runArtifacts),
      });
    }
    return `${run.info.artifact_uri!.replace(/\/+$/, '')}/${folder}`;
  }

  #dcgridSource(input: MirrorVersionInput): string {
    if (!/^(file:|\/)/.test(input.artifactUri)) return input.artifactUri;
    const where =
      input.mlflowRunId === null
        ? 'the version has no MLflow run to hold a copy of its files'
        : `its run's artifact root cannot be written from here (not proxied by the server, nor a folder shared with it)`;
    throw new MlflowError(
      'NO_USABLE_SOURCE',
      `${this.server}: cannot register ${input.region}/${input.target}/${input.model} v${input.version}: ` +
        `MLflow refuses a local source (${input.artifactUri}) and ${where}. ` +
        'Start MLflow with --serve-artifacts, share its artifact folder with this machine, or set an s3:// ARTIFACT_URI.',
    );
  }

  /** Points `champion` and `challenger` at the given MLflow versions, or removes them. */
  async syncAliases(series: SeriesKey, aliases: { champion?: string; challenger?: string }): Promise<void> {
    const name = registeredModelName(series);
    if (aliases.champion !== undefined) await this.client.setAlias(name, 'champion', aliases.champion);
    else await this.client.deleteAlias(name, 'champion');
    if (aliases.challenger !== undefined) await this.client.setAlias(name, 'challenger', aliases.challenger);
    else await this.client.deleteAlias(name, 'challenger');
  }
}
