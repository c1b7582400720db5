/**
 * Mirrors the registry to MLflow's model registry. One registered model per (region, target),
 * `dcgrid-{REGION}-{TARGET}`, holding the versions of every model kind (tagged dcgrid.model and
 * dcgrid.version): MLflow aliases are unique within a registered model, which matches the rule of
 * one champion per (region, target) across models. Aliases: `champion` on the champion,
 * `challenger` on the newest challenger.
 *
 * A version's files are uploaded under its run's artifacts (models/{model}/v{version}/) when the
 * server proxies artifacts, and that folder is the version's source; otherwise the source is the
 * dcgrid artifact URI itself.
 */
import type { ModelFiles } from '../models/types.js';
import type { MlflowClient } from '../tracking/mlflow/client.js';
import { proxiedArtifactPath } from '../tracking/mlflow/artifact-path.js';
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
    let source = input.artifactUri;
    if (input.mlflowRunId !== null) {
      const run = await this.client.getRun(input.mlflowRunId);
      const root = run.info.artifact_uri;
      if (proxiedArtifactPath(root) !== undefined) {
        const folder = `models/${input.model}/v${input.version}`;
        for (const [file, bytes] of Object.entries({
          ...input.files,
          'metadata.json': input.metadataBytes,
        })) {
          await this.client.uploadRunArtifact(root, `${folder}/${file}`, bytes);
        }
        source = `${root!.replace(/\/+$/, '')}/${folder}`;
      }
    }
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

  /** Points `champion` and `challenger` at the given MLflow versions, or removes them. */
  async syncAliases(series: SeriesKey, aliases: { champion?: string; challenger?: string }): Promise<void> {
    const name = registeredModelName(series);
    if (aliases.champion !== undefined) await this.client.setAlias(name, 'champion', aliases.champion);
    else await this.client.deleteAlias(name, 'champion');
    if (aliases.challenger !== undefined) await this.client.setAlias(name, 'challenger', aliases.challenger);
    else await this.client.deleteAlias(name, 'challenger');
  }
}
