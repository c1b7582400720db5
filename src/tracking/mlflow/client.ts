/**
 * A typed client for the parts of MLflow's REST API 2.0 that dcgrid uses: experiments, runs
 * (create / update / get / log-batch / set-tag / search), the artifact proxy, registered models,
 * model versions and aliases. Written from MLflow's REST reference (service.proto,
 * model_registry.proto, mlflow_artifacts.proto); the npm `mlflow` package is stale.
 */
import { proxiedArtifactPath, encodePath } from './artifact-path.js';
import { splitLogBatch, type LogBatchItems } from './limits.js';
import {
  responses,
  type KeyValue,
  type MlflowArtifactFile,
  type MlflowMetricPoint,
  type MlflowExperiment,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
  type MlflowRunInfo,
} from './messages.js';
import { isMlflowError, MlflowError, MlflowTransport, type TransportOptions } from './transport.js';

export type { TransportOptions as MlflowClientOptions };

export interface SearchRunsOptions {
  experimentIds: readonly string[];
  filter?: string;
  orderBy?: readonly string[];
  /** Page size (MLflow's default is 1000). */
  maxResults?: number;
  pageToken?: string;
}

export interface SearchModelVersionsOptions {
  filter?: string;
  orderBy?: readonly string[];
  maxResults?: number;
  pageToken?: string;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string | undefined;
}

const toTags = (tags: Record<string, string> | undefined): KeyValue[] =>
  Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));

export class MlflowClient {
  readonly transport: MlflowTransport;

  constructor(options: TransportOptions) {
    this.transport = new MlflowTransport(options);
  }

  /** "MLflow at http://host:port", for messages. */
  get server(): string {
    return this.transport.server;
  }

  // --- experiments -------------------------------------------------------------------------------

  /** The experiment, or undefined when none has that name. */
  async getExperimentByName(name: string): Promise<MlflowExperiment | undefined> {
    try {
      const r = await this.transport.call(
        'GET',
        '/experiments/get-by-name',
        { experiment_name: name },
        responses.getExperimentByName,
      );
      return r.experiment;
    } catch (error) {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  async createExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    const r = await this.transport.call(
      'POST',
      '/experiments/create',
      { name, tags: toTags(tags) },
      responses.createExperiment,
    );
    return r.experiment_id;
  }

  /** Gets the experiment by name, creating it when missing (a concurrent creator is tolerated). */
  async getOrCreateExperiment(name: string): Promise<MlflowExperiment> {
    const found = await this.getExperimentByName(name);
    if (found !== undefined) return found;
    try {
      const id = await this.createExperiment(name);
      return { experiment_id: id, name };
    } catch (error) {
      if (!isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
      const again = await this.getExperimentByName(name);
      if (again === undefined) throw error;
      return again;
    }
  }

  // --- runs --------------------------------------------------------------------------------------

  async createRun(options: {
    experimentId: string;
    runName: string;
    startTime: number;
    tags?: Record<string, string>;
  }): Promise<MlflowRun> {
    const r = await this.transport.call(
      'POST',
      '/runs/create',
      {
        experiment_id: options.experimentId,
        run_name: options.runName,
        start_time: options.startTime,
        tags: toTags(options.tags),
      },
      responses.createRun,
    );
    return r.run;
  }

  async updateRun(options: {
    runId: string;
    status: MlflowRunInfo['status'];
    endTime?: number;
    runName?: string;
  }): Promise<MlflowRunInfo> {
    const r = await this.transport.call(
      'POST',
      '/runs/update',
      {
        run_id: options.runId,
        status: options.status,
        ...(options.endTime !== undefined ? { end_time: options.endTime } : {}),
        ...(options.runName !== undefined ? { run_name: options.runName } : {}),
      },
      responses.updateRun,
    );
    return r.run_info;
  }

  async getRun(runId: string): Promise<MlflowRun> {
    const r = await this.transport.call('GET', '/runs/get', { run_id: runId }, responses.getRun);
    return r.run;
  }

  /** Logs any number of items: split into requests within MLflow's log-batch limits. */
  async logBatch(runId: string, items: Partial<LogBatchItems>): Promise<void> {
    const batches = splitLogBatch({
      metrics: items.metrics ?? [],
      params: items.params ?? [],
      tags: items.tags ?? [],
    });
    for (const batch of batches) {
      await this.transport.call('POST', '/runs/log-batch', { run_id: runId, ...batch }, responses.empty);
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.transport.call('POST', '/runs/set-tag', { run_id: runId, key, value }, responses.empty);
  }

  async searchRuns(options: SearchRunsOptions): Promise<Page<MlflowRun>> {
    const r = await this.transport.call(
      'POST',
      '/runs/search',
      {
        experiment_ids: options.experimentIds,
        ...(options.filter !== undefined ? { filter: options.filter } : {}),
        ...(options.orderBy !== undefined ? { order_by: options.orderBy } : {}),
        ...(options.maxResults !== undefined ? { max_results: options.maxResults } : {}),
        ...(options.pageToken !== undefined ? { page_token: options.pageToken } : {}),
      },
      responses.searchRuns,
    );
    return { items: r.runs, nextPageToken: emptyToUndefined(r.next_page_token) };
  }

  /** Every run that matches, following next_page_token. */
  async searchAllRuns(options: Omit<SearchRunsOptions, 'pageToken'>): Promise<MlflowRun[]> {
    return collectPages((pageToken) => this.searchRuns({ ...options, ...(pageToken ? { pageToken } : {}) }));
  }

  /** Every point of one metric of a run, following next_page_token. */
  async getMetricHistory(runId: string, key: string): Promise<MlflowMetricPoint[]> {
    return collectPages(async (pageToken) => {
      const r = await this.transport.call(
        'GET',
        '/metrics/get-history',
        { run_id: runId, metric_key: key, page_token: pageToken },
        responses.metricHistory,
      );
      return { items: r.metrics, nextPageToken: emptyToUndefined(r.next_page_token) };
    });
  }

  /** The files and folders directly under `path` of a run's artifacts, as the server sees them. */
  async listRunArtifacts(runId: string, path?: string): Promise<MlflowArtifactFile[]> {
    return collectPages(async (pageToken) => {
      const r = await this.transport.call(
        'GET',
        '/artifacts/list',
        { run_id: runId, path, page_token: pageToken },
        responses.listArtifacts,
      );
      return { items: r.files, nextPageToken: emptyToUndefined(r.next_page_token) };
    });
  }

  // --- artifacts (through the tracking server's artifact proxy) ----------------------------------

  /** Uploads one file under a run's artifact root; `relativePath` like `model/metadata.json`. */
  async uploadRunArtifact(
    artifactUri: string | undefined,
    relativePath: string,
    bytes: Uint8Array,
  ): Promise<void> {
    const root = proxiedArtifactPath(artifactUri);
    if (root === undefined) {
      throw new MlflowError(
        'ARTIFACTS_NOT_PROXIED',
        `${this.server}: the run's artifact root "${artifactUri ?? '(none)'}" is not served by the tracking server ` +
          '(start it with --serve-artifacts) so files cannot be uploaded through it',
      );
    }
    await this.transport.uploadArtifact(encodePath(`${root}/${relativePath}`), bytes);
  }

  async downloadRunArtifact(artifactUri: string | undefined, relativePath: string): Promise<Uint8Array> {
    const root = proxiedArtifactPath(artifactUri);
    if (root === undefined) {
      throw new MlflowError(
        'ARTIFACTS_NOT_PROXIED',
        `${this.server}: artifact root "${artifactUri ?? ''}" is not proxied`,
      );
    }
    return this.transport.downloadArtifact(encodePath(`${root}/${relativePath}`));
  }

  // --- model registry ----------------------------------------------------------------------------

  async getRegisteredModel(name: string): Promise<MlflowRegisteredModel | undefined> {
    try {
      const r = await this.transport.call(
        'GET',
        '/registered-models/get',
        { name },
        responses.registeredModel,
      );
      return r.registered_model;
    } catch (error) {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  async createRegisteredModel(
    name: string,
    options: { description?: string; tags?: Record<string, string> } = {},
  ): Promise<MlflowRegisteredModel> {
    const r = await this.transport.call(
      'POST',
      '/registered-models/create',
      {
        name,
        tags: toTags(options.tags),
        ...(options.description ? { description: options.description } : {}),
      },
      responses.registeredModel,
    );
    return r.registered_model;
  }

  async getOrCreateRegisteredModel(
    name: string,
    options: { description?: string; tags?: Record<string, string> } = {},
  ): Promise<MlflowRegisteredModel> {
    const found = await this.getRegisteredModel(name);
    if (found !== undefined) return found;
    try {
      return await this.createRegisteredModel(name, options);
    } catch (error) {
      if (!isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
      const again = await this.getRegisteredModel(name);
      if (again === undefined) throw error;
      return again;
    }
  }

  async createModelVersion(options: {
    name: string;
    source: string;
    runId?: string;
    description?: string;
    tags?: Record<string, string>;
  }): Promise<MlflowModelVersion> {
    const r = await this.transport.call(
      'POST',
      '/model-versions/create',
      {
        name: options.name,
        source: options.source,
        tags: toTags(options.tags),
        ...(options.runId !== undefined ? { run_id: options.runId } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
      },
      responses.modelVersion,
    );
    return r.model_version;
  }

  async getModelVersion(name: string, version: string): Promise<MlflowModelVersion | undefined> {
    try {
      const r = await this.transport.call(
        'GET',
        '/model-versions/get',
        { name, version },
        responses.modelVersion,
      );
      return r.model_version;
    } catch (error) {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  async searchModelVersions(options: SearchModelVersionsOptions = {}): Promise<Page<MlflowModelVersion>> {
    const r = await this.transport.call(
      'GET',
      '/model-versions/search',
      {
        filter: options.filter,
        order_by: options.orderBy,
        max_results: options.maxResults,
        page_token: options.pageToken,
      },
      responses.searchModelVersions,
    );
    return { items: r.model_versions, nextPageToken: emptyToUndefined(r.next_page_token) };
  }

  async searchAllModelVersions(
    options: Omit<SearchModelVersionsOptions, 'pageToken'> = {},
  ): Promise<MlflowModelVersion[]> {
    return collectPages((pageToken) =>
      this.searchModelVersions({ ...options, ...(pageToken ? { pageToken } : {}) }),
    );
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.transport.call('POST', '/registered-models/alias', { name, alias, version }, responses.empty);
  }

  /** Removes an alias; one that does not exist is not an error. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    try {
      await this.transport.call('DELETE', '/registered-models/alias', { name, alias }, responses.empty);
    } catch (error) {
      if (!isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) throw error;
    }
  }

  /**
   * The version an alias points at, or undefined when the alias (or the model) does not exist: MLflow
   * answers that with 400 INVALID_PARAMETER_VALUE "Registered model alias X not found.".
   */
  async getModelVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | undefined> {
    try {
      const r = await this.transport.call(
        'GET',
        '/registered-models/alias',
        { name, alias },
        responses.modelVersion,
      );
      return r.model_version;
    } catch (error) {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      if (isMlflowError(error, 'INVALID_PARAMETER_VALUE') && /alias .* not found/i.test(error.message)) {
        return undefined;
      }
      throw error;
    }
  }

  /** Where MLflow says a version's files are (its source, resolved). */
  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const r = await this.transport.call(
      'GET',
      '/model-versions/get-download-uri',
      { name, version },
      responses.downloadUri,
    );
    return r.artifact_uri;
  }

  /** One file of a model version, read by the server from the version's source (as the web UI does). */
  async downloadModelVersionArtifact(name: string, version: string, path: string): Promise<Uint8Array> {
    return this.transport.getRaw('/model-versions/get-artifact', { name, version, path });
  }
}

function emptyToUndefined(token: string | undefined): string | undefined {
  return token === undefined || token === '' ? undefined : token;
}

async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.nextPageToken;
    if (token !== undefined) {
      if (seen.has(token)) throw new MlflowError('BAD_RESPONSE', 'MLflow returned the same page token twice');
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}
