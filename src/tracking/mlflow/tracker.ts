/**
 * The MLflow tracking backend: experiments and runs on an MLflow tracking server. Run ids are
 * MLflow's. A run's error text goes into the tag `dcgrid.error` (MLflow runs have no error field).
 * Metric values that are not finite are sent as MLflow's JSON strings "NaN", "Infinity" and
 * "-Infinity" (a SQL-backed server stores infinities as ±1.7976931348623157e308). Param values over
 * 6000 and tag values over 8000 characters are cut here, marked `...[truncated]`, rather than cut
 * silently by the server. Runs carry the tags MLflow's own clients set (mlflow.user,
 * mlflow.source.name, mlflow.source.type), so MLflow's UI shows who ran what.
 */
import { userInfo } from 'node:os';
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
import type { MlflowClient } from './client.js';
import { clampParam, clampTag } from './limits.js';
import type { MlflowMetric } from './messages.js';
import { ARTIFACT_INDEX_FILE, artifactIndexBytes, writeRunArtifacts } from './run-artifacts.js';

export { ARTIFACT_INDEX_FILE };

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
    const tags = Object.fromEntries(
      Object.entries({ ...systemTags(), ...options.tags }).map(([k, v]) => [k, clampTag(v)]),
    );
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
      return { key, value: clampParam(paramText(value)) };
    });
    if (list.length > 0) await this.client.logBatch(this.runId, { params: list });
  }

  async logMetrics(points: readonly MetricPoint[]): Promise<void> {
    this.#checkActive();
    checkMetricPoints(points);
    if (points.length === 0) return;
    await this.client.logBatch(this.runId, {
      metrics: points.map((p) => ({
        key: p.key,
        value: metricValue(p.value),
        timestamp: p.timestamp,
        step: p.step,
      })),
    });
  }

  async setTag(key: string, value: string): Promise<void> {
    this.#checkActive();
    checkTagKey(key);
    await this.client.setTag(this.runId, key, clampTag(value));
  }

  /**
   * Writes the run's artifact index (`dcgrid-artifacts.json`: path, URI, size, sha256 of each file)
   * among the run's artifacts (run-artifacts.ts), and records the common folder of the files in
   * the tag `dcgrid.artifact_uri`, which also serves where the index cannot be written (an s3://
   * root, a folder this machine does not share with the server).
   */
  async logArtifacts(entries: readonly ArtifactIndexEntry[]): Promise<void> {
    this.#checkActive();
    if (entries.length === 0) return;
    for (const entry of entries) this.#artifactIndex.set(entry.path, entry);
    const all = [...this.#artifactIndex.values()];
    await writeRunArtifacts(this.client, { runId: this.runId, artifactUri: this.artifactUri }, '', {
      [ARTIFACT_INDEX_FILE]: artifactIndexBytes(all),
    });
    await this.client.setTag(
      this.runId,
      'dcgrid.artifact_uri',
      clampTag(commonFolder(all.map((e) => e.uri))),
    );
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

function metricValue(value: number): MlflowMetric['value'] {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** The tags MLflow's own clients put on a run: the UI's User and Source columns. */
function systemTags(): Record<string, string> {
  let user = process.env.USER ?? '';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return {
    ...(user !== '' ? { 'mlflow.user': user } : {}),
    'mlflow.source.name': 'dcgrid',
    'mlflow.source.type': 'LOCAL',
  };
}

function commonFolder(uris: string[]): string {
  if (uris.length === 0) return '';
  let prefix = uris[0]!;
  for (const uri of uris) while (!uri.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}
