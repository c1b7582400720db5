/**
 * The MLflow tracking backend: experiments and runs on an MLflow tracking server. Run ids are
 * MLflow's. A run's error text goes into the tag `dcgrid.error` (MLflow runs have no error field);
 * metric values that are not finite are left out (MLflow's JSON cannot carry them) and counted in
 * the tag `dcgrid.skipped_metrics`.
 */
import {
  paramText,
  type ArtifactIndexEntry,
  type Experiment,
  type MetricPoint,
  type ParamValue,
  type RunHandle,
  type StartRunOptions,
  type TerminalRunStatus,
  type Tracker,
} from '../tracker.js';
import { checkMetricPoints, checkTagKey } from '../validate.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { proxiedArtifactPath } from './artifact-path.js';
import type { MlflowClient } from './client.js';
import { clampValue } from './limits.js';

/** set-tag values every MLflow store accepts (SetTag in service.proto). */
const MAX_TAG_VALUE = 5000;
export const ARTIFACT_INDEX_FILE = 'dcgrid-artifacts.json';

export class MlflowTracker implements Tracker {
  readonly backend = 'mlflow';

  constructor(readonly client: MlflowClient) {}

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    const experiment = await this.client.getOrCreateExperiment(name);
    return { id: experiment.experiment_id, name: experiment.name };
  }

  async startRun(options: StartRunOptions): Promise<MlflowRunHandle> {
    const experiment = await this.getOrCreateExperiment(options.experiment);
    for (const key of Object.keys(options.tags ?? {})) checkTagKey(key);
    const tags = Object.fromEntries(Object.entries(options.tags ?? {}).map(([k, v]) => [k, clampValue(v)]));
    const run = await this.client.createRun({
      experimentId: experiment.id,
      runName: options.name,
      startTime: Date.now(),
      tags,
    });
    return new MlflowRunHandle(
      this.client,
      run.info.run_id,
      experiment.id,
      options.name,
      run.info.artifact_uri,
    );
  }
}

export class MlflowRunHandle implements RunHandle {
  #ended = false;
  #artifactIndex = new Map<string, ArtifactIndexEntry>();
  #skippedMetrics = 0;

  constructor(
    readonly client: MlflowClient,
    readonly runId: string,
    readonly experimentId: string,
    readonly name: string,
    /** The run's artifact root as MLflow reports it (mlflow-artifacts:/... when proxied). */
    readonly artifactUri: string | undefined,
  ) {}

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    this.#checkActive();
    const list = Object.entries(params).map(([key, value]) => {
      checkTagKey(key);
      return { key, value: clampValue(paramText(value)) };
    });
    if (list.length > 0) await this.client.logBatch(this.runId, { params: list });
  }

  async logMetrics(points: readonly MetricPoint[]): Promise<void> {
    this.#checkActive();
    checkMetricPoints(points);
    const finite = points.filter((p) => Number.isFinite(p.value));
    if (finite.length > 0) {
      await this.client.logBatch(this.runId, {
        metrics: finite.map((p) => ({ key: p.key, value: p.value, timestamp: p.timestamp, step: p.step })),
      });
    }
    if (finite.length < points.length) {
      this.#skippedMetrics += points.length - finite.length;
      await this.client.setTag(this.runId, 'dcgrid.skipped_metrics', String(this.#skippedMetrics));
    }
  }

  async setTag(key: string, value: string): Promise<void> {
    this.#checkActive();
    checkTagKey(key);
    await this.client.setTag(this.runId, key, clampTag(value));
  }

  /**
   * Uploads the run's artifact index (`dcgrid-artifacts.json`: path, URI, size, sha256 of each file)
   * through the artifact proxy, or, where the server does not proxy artifacts, records the common
   * folder of the files in the tag `dcgrid.artifact_uri`.
   */
  async logArtifacts(entries: readonly ArtifactIndexEntry[]): Promise<void> {
    this.#checkActive();
    if (entries.length === 0) return;
    for (const entry of entries) this.#artifactIndex.set(entry.path, entry);
    const all = [...this.#artifactIndex.values()];
    if (proxiedArtifactPath(this.artifactUri) !== undefined) {
      const bytes = new TextEncoder().encode(JSON.stringify({ files: all }, null, 2));
      await this.client.uploadRunArtifact(this.artifactUri, ARTIFACT_INDEX_FILE, bytes);
    } else {
      await this.client.setTag(
        this.runId,
        'dcgrid.artifact_uri',
        clampTag(commonFolder(all.map((e) => e.uri))),
      );
    }
  }

  /** Uploads files under the run's artifact root (MLflow-specific: the registry mirror uses it). */
  async uploadFiles(folder: string, files: Record<string, Uint8Array>): Promise<void> {
    for (const [name, bytes] of Object.entries(files)) {
      await this.client.uploadRunArtifact(this.artifactUri, `${folder}/${name}`, bytes);
    }
  }

  async end(status: TerminalRunStatus, error?: string): Promise<void> {
    if (this.#ended) throw new DcgridError(ErrorCodes.TRACKING, `run ${this.runId} has ended already`);
    this.#ended = true;
    if (status !== 'FINISHED' && error !== undefined) {
      await this.client.setTag(this.runId, 'dcgrid.error', clampTag(error));
    }
    await this.client.updateRun({ runId: this.runId, status, endTime: Date.now() });
  }

  #checkActive(): void {
    if (this.#ended)
      throw new DcgridError(ErrorCodes.TRACKING, `run ${this.runId} has ended; nothing more can be logged`);
  }
}

function clampTag(value: string): string {
  return value.length <= MAX_TAG_VALUE ? value : `${value.slice(0, MAX_TAG_VALUE - 14)}...[truncated]`;
}

function commonFolder(uris: string[]): string {
  if (uris.length === 0) return '';
  let prefix = uris[0]!;
  for (const uri of uris) while (!uri.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}
