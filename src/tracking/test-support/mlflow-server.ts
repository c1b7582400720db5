/**
 * A stand-in MLflow tracking server for tests (no MLflow server can run on these machines). It is
 * written from MLflow's REST API 2.0 reference, not from dcgrid's client: the paths and methods of
 * service.proto / model_registry.proto / mlflow_artifacts.proto, their JSON field names, MLflow's
 * error body {"error_code", "message"} with the HTTP status MLflow maps each code to (exceptions.py:
 * RESOURCE_DOES_NOT_EXIST 404, RESOURCE_ALREADY_EXISTS and INVALID_PARAMETER_VALUE 400), the
 * log-batch request limits, params that cannot change once logged, paginated search with
 * next_page_token, alias name rules, and JSON-only request bodies (GET takes a query string).
 *
 * It keeps everything in memory. `failNext` makes the next requests answer with an error status
 * (to test retries); `close` stops it (to test a server that went away).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';

type Json = Record<string, unknown>;
interface Tag {
  key: string;
  value: string;
}
interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}
interface StoredRun {
  info: {
    run_id: string;
    run_uuid: string;
    experiment_id: string;
    run_name: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  metrics: Metric[];
  params: Tag[];
  tags: Tag[];
}
interface StoredVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  status: string;
  tags: Tag[];
}
interface StoredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: Tag[];
  aliases: Map<string, string>;
  versions: StoredVersion[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface StandInOptions {
  /**
   * `proxied` (default): runs get `mlflow-artifacts:/<experiment>/<run>/artifacts`, as with
   * `mlflow server --serve-artifacts`; `s3`: runs get an s3:// root the server does not proxy.
   */
  artifactRoot?: 'proxied' | 's3';
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (message: string) => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
const exists = (message: string) => new ApiError(400, 'RESOURCE_ALREADY_EXISTS', message);
const invalid = (message: string) => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);

const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const KEY_PATTERN = /^[/\w.\- ]*$/;

export class MlflowStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly artifacts = new Map<string, Buffer>();
  #server: Server;
  #experiments = new Map<
    string,
    { experiment_id: string; name: string; artifact_location: string; lifecycle_stage: string; tags: Tag[] }
  >();
  #runs = new Map<string, StoredRun>();
  #models = new Map<string, StoredModel>();
  #nextExperimentId = 1;
  #faults: Array<{ status: number; code: string }> = [];
  #targetedFaults: Array<{ method: string; path: string; status: number; code: string }> = [];
  #options: StandInOptions;
  url = '';

  private constructor(options: StandInOptions) {
    this.#options = options;
    this.#experiments.set('0', {
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
      tags: [],
    });
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  static async start(options: StandInOptions = {}): Promise<MlflowStandIn> {
    const standIn = new MlflowStandIn(options);
    standIn.url = await listenLocally(standIn.#server);
    return standIn;
  }

  /** The next `count` requests answer `status` (503 TEMPORARILY_UNAVAILABLE by default). */
  failNext(count: number, status = 503, code = 'TEMPORARILY_UNAVAILABLE'): void {
    for (let i = 0; i < count; i++) this.#faults.push({ status, code });
  }

  /** The next `count` requests to one endpoint (e.g. 'POST', '/registered-models/alias') fail. */
  failNextOn(
    method: string,
    path: string,
    count: number,
    status = 503,
    code = 'TEMPORARILY_UNAVAILABLE',
  ): void {
    for (let i = 0; i < count; i++) this.#targetedFaults.push({ method, path, status, code });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await closeServer(this.#server);
  }

  /** Read access for assertions. */
  run(runId: string): StoredRun | undefined {
    return this.#runs.get(runId);
  }

  registeredModel(name: string): StoredModel | undefined {
    return this.#models.get(name);
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    try {
      const fault = this.#faults.shift();
      if (fault) throw new ApiError(fault.status, fault.code, 'injected failure');
      const artifactPrefix = '/api/2.0/mlflow-artifacts/artifacts/';
      if (url.pathname.startsWith(artifactPrefix)) {
        const path = decodeURIComponent(url.pathname.slice(artifactPrefix.length));
        this.requests.push({ method, path: '/mlflow-artifacts/artifacts', body: path });
        return this.#artifact(method, path, raw, res);
      }
      const prefix = '/api/2.0/mlflow';
      if (!url.pathname.startsWith(`${prefix}/`)) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
        return;
      }
      const endpoint = url.pathname.slice(prefix.length);
      let body: Json;
      if (method === 'GET') {
        body = {};
        for (const key of new Set(url.searchParams.keys())) {
          const values = url.searchParams.getAll(key);
          body[key] = values.length > 1 ? values : values[0];
        }
      } else {
        const type = req.headers['content-type'] ?? '';
        if (!type.startsWith('application/json')) {
          throw invalid("Bad Request. Content-Type must be one of ['application/json'].");
        }
        try {
          body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Json);
        } catch {
          throw new ApiError(400, 'MALFORMED_REQUEST', 'Request body is not valid JSON');
        }
      }
      const targeted = this.#targetedFaults.findIndex((f) => f.method === method && f.path === endpoint);
      if (targeted >= 0) {
        const [fault] = this.#targetedFaults.splice(targeted, 1);
        throw new ApiError(fault!.status, fault!.code, 'injected failure');
      }
      this.requests.push({ method, path: endpoint, body });
      const handler = this.#route(method, endpoint);
      if (handler === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
        return;
      }
      const result = handler(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      if (error instanceof ApiError) {
        res
          .writeHead(error.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error_code: error.code, message: error.message }));
      } else {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: String(error) }));
      }
    }
  }

  #route(method: string, endpoint: string): ((body: Json) => Json) | undefined {
    const routes: Record<string, (body: Json) => Json> = {
      'GET /experiments/get-by-name': (b) => this.#getExperimentByName(b),
      'POST /experiments/create': (b) => this.#createExperiment(b),
      'POST /runs/create': (b) => this.#createRun(b),
      'POST /runs/update': (b) => this.#updateRun(b),
      'GET /runs/get': (b) => ({ run: this.#runJson(this.#findRun(b)) }),
      'POST /runs/log-batch': (b) => this.#logBatch(b),
      'POST /runs/set-tag': (b) => this.#setTag(b),
      'POST /runs/search': (b) => this.#searchRuns(b),
      'POST /registered-models/create': (b) => this.#createRegisteredModel(b),
      'GET /registered-models/get': (b) => ({ registered_model: this.#modelJson(this.#findModel(b)) }),
      'POST /model-versions/create': (b) => this.#createModelVersion(b),
      'GET /model-versions/get': (b) => ({ model_version: this.#versionJson(this.#findVersion(b)) }),
      'GET /model-versions/search': (b) => this.#searchModelVersions(b),
      'POST /registered-models/alias': (b) => this.#setAlias(b),
      'DELETE /registered-models/alias': (b) => this.#deleteAlias(b),
      'GET /registered-models/alias': (b) => this.#getByAlias(b),
    };
    return routes[`${method} ${endpoint}`];
  }

  // --- experiments -----------------------------------------------------------------------------

  #getExperimentByName(b: Json): Json {
    const name = required(b, 'experiment_name');
    const found = [...this.#experiments.values()].find((e) => e.name === name);
    if (!found) throw notFound(`Could not find experiment with name '${name}'`);
    return { experiment: found };
  }

  #createExperiment(b: Json): Json {
    const name = required(b, 'name');
    if ([...this.#experiments.values()].some((e) => e.name === name)) {
      throw exists(`Experiment(name=${name}) already exists.`);
    }
    const id = String(this.#nextExperimentId++);
    this.#experiments.set(id, {
      experiment_id: id,
      name,
      artifact_location:
        typeof b.artifact_location === 'string' ? b.artifact_location : `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      tags: tagList(b.tags),
    });
    return { experiment_id: id };
  }

  // --- runs ------------------------------------------------------------------------------------

  #createRun(b: Json): Json {
    const experimentId = typeof b.experiment_id === 'string' ? b.experiment_id : '0';
    if (!this.#experiments.has(experimentId)) {
      throw notFound(`No Experiment with id=${experimentId} exists`);
    }
    const runId = randomBytes(16).toString('hex');
    const tags = tagList(b.tags);
    const runName =
      typeof b.run_name === 'string' && b.run_name !== '' ? b.run_name : `run-${runId.slice(0, 6)}`;
    if (!tags.some((t) => t.key === 'mlflow.runName')) tags.push({ key: 'mlflow.runName', value: runName });
    const artifactUri =
      this.#options.artifactRoot === 's3'
        ? `s3://mlflow-bucket/${experimentId}/${runId}/artifacts`
        : `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;
    const run: StoredRun = {
      info: {
        run_id: runId,
        run_uuid: runId,
        experiment_id: experimentId,
        run_name: runName,
        user_id: '',
        status: 'RUNNING',
        start_time: typeof b.start_time === 'number' ? b.start_time : Date.now(),
        artifact_uri: artifactUri,
        lifecycle_stage: 'active',
      },
      metrics: [],
      params: [],
      tags,
    };
    this.#runs.set(runId, run);
    return { run: this.#runJson(run) };
  }

  #findRun(b: Json): StoredRun {
    const runId =
      typeof b.run_id === 'string' ? b.run_id : typeof b.run_uuid === 'string' ? b.run_uuid : undefined;
    if (runId === undefined) throw invalid("Missing value for required parameter 'run_id'.");
    const run = this.#runs.get(runId);
    if (!run) throw notFound(`Run with id=${runId} not found`);
    return run;
  }

  #updateRun(b: Json): Json {
    const run = this.#findRun(b);
    if (b.status !== undefined) {
      if (typeof b.status !== 'string' || !RUN_STATUSES.includes(b.status)) {
        throw invalid(`Invalid value ${JSON.stringify(b.status)} for parameter 'status' supplied.`);
      }
      run.info.status = b.status;
    }
    if (b.end_time !== undefined) {
      if (!Number.isInteger(b.end_time)) throw invalid("Invalid value for parameter 'end_time' supplied.");
      run.info.end_time = b.end_time as number;
    }
    if (typeof b.run_name === 'string') run.info.run_name = b.run_name;
    return { run_info: run.info };
  }

  #logBatch(b: Json): Json {
    const run = this.#findRun(b);
    const metrics = Array.isArray(b.metrics) ? (b.metrics as Json[]) : [];
    const params = Array.isArray(b.params) ? (b.params as Json[]) : [];
    const tags = Array.isArray(b.tags) ? (b.tags as Json[]) : [];
    const limit = (what: string, n: number, max: number) => {
      if (n > max) {
        throw invalid(
          `A batch logging request can contain at most ${max} ${what}. Got ${n} ${what}. ` +
            'Please split up metrics, params, and tags across multiple requests and try again.',
        );
      }
    };
    limit('metrics', metrics.length, 1000);
    limit('params', params.length, 100);
    limit('tags', tags.length, 100);
    limit('metrics, params, and tags in total', metrics.length + params.length + tags.length, 1000);
    for (const m of metrics) {
      checkKey(m.key, 'metric');
      if (typeof m.value !== 'number')
        throw invalid(`Got invalid value ${String(m.value)} for metric '${String(m.key)}'`);
      if (!Number.isInteger(m.timestamp)) {
        throw invalid(
          `Missing value for required parameter 'metrics[].timestamp' of metric '${String(m.key)}'.`,
        );
      }
      if (m.step !== undefined && !Number.isInteger(m.step))
        throw invalid(`Invalid step for metric '${String(m.key)}'`);
    }
    for (const p of params) {
      checkKey(p.key, 'param');
      checkValue(p.value, 'param', p.key as string);
      const before = run.params.find((x) => x.key === p.key);
      if (before && before.value !== p.value) {
        throw invalid(
          `Changing param values is not allowed. Param with key='${String(p.key)}' was already logged with ` +
            `value='${before.value}' for run ID='${run.info.run_id}'. Attempted logging new value '${String(p.value)}'.`,
        );
      }
    }
    for (const t of tags) {
      checkKey(t.key, 'tag');
      checkValue(t.value, 'tag', t.key as string);
    }
    for (const p of params) {
      if (!run.params.some((x) => x.key === p.key))
        run.params.push({ key: p.key as string, value: p.value as string });
    }
    for (const t of tags) upsertTag(run.tags, t.key as string, t.value as string);
    for (const m of metrics) {
      run.metrics.push({
        key: m.key as string,
        value: m.value as number,
        timestamp: m.timestamp as number,
        step: (m.step as number | undefined) ?? 0,
      });
    }
    return {};
  }

  #setTag(b: Json): Json {
    const run = this.#findRun(b);
    checkKey(b.key, 'tag');
    if (typeof b.value !== 'string') throw invalid("Missing value for required parameter 'value'.");
    if (b.value.length > 5000) throw invalid(`Tag value for '${String(b.key)}' exceeds 5000 characters.`);
    upsertTag(run.tags, b.key as string, b.value);
    return {};
  }

  #searchRuns(b: Json): Json {
    const ids = b.experiment_ids;
    if (!Array.isArray(ids) || ids.length === 0) throw invalid('experiment_ids must be a non-empty list');
    const maxResults = b.max_results === undefined ? 1000 : b.max_results;
    if (!Number.isInteger(maxResults) || (maxResults as number) < 1 || (maxResults as number) > 50_000) {
      throw invalid(
        `Invalid value ${String(maxResults)} for parameter 'max_results' supplied. It must be at most 50000.`,
      );
    }
    const predicate = parseRunFilter(typeof b.filter === 'string' ? b.filter : '');
    const runs = [...this.#runs.values()]
      .filter(
        (r) => ids.includes(r.info.experiment_id) && r.info.lifecycle_stage === 'active' && predicate(r),
      )
      .sort((a, z) => z.info.start_time - a.info.start_time || a.info.run_id.localeCompare(z.info.run_id));
    return paginate(runs, maxResults as number, b.page_token, 'runs', (r) => this.#runJson(r));
  }

  #runJson(run: StoredRun): Json {
    const latest = new Map<string, Metric>();
    for (const m of run.metrics) {
      const before = latest.get(m.key);
      if (
        !before ||
        m.timestamp > before.timestamp ||
        (m.timestamp === before.timestamp && m.step >= before.step)
      ) {
        latest.set(m.key, m);
      }
    }
    return { info: run.info, data: { metrics: [...latest.values()], params: run.params, tags: run.tags } };
  }

  #artifact(method: string, path: string, raw: Buffer, res: ServerResponse): void {
    if (path.split('/').includes('..')) throw invalid(`Invalid path: ${path}`);
    if (method === 'PUT') {
      this.artifacts.set(path, raw);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    if (method === 'GET') {
      const bytes = this.artifacts.get(path);
      if (!bytes) throw notFound(`File ${path} does not exist`);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      return;
    }
    res.writeHead(405, { 'content-type': 'text/html' }).end('<h1>Method Not Allowed</h1>');
  }

  // --- model registry ----------------------------------------------------------------------------

  #createRegisteredModel(b: Json): Json {
    const name = required(b, 'name');
    if (this.#models.has(name)) throw exists(`Registered Model (name=${name}) already exists.`);
    const now = Date.now();
    const model: StoredModel = {
      name,
      creation_timestamp: now,
      last_updated_timestamp: now,
      description: typeof b.description === 'string' ? b.description : '',
      tags: tagList(b.tags),
      aliases: new Map(),
      versions: [],
    };
    this.#models.set(name, model);
    return { registered_model: this.#modelJson(model) };
  }

  #findModel(b: Json): StoredModel {
    const name = required(b, 'name');
    const model = this.#models.get(name);
    if (!model) throw notFound(`Registered Model with name=${name} not found`);
    return model;
  }

  #createModelVersion(b: Json): Json {
    const model = this.#findModel(b);
    const source = required(b, 'source');
    if (typeof b.run_id === 'string' && b.run_id !== '' && !this.#runs.has(b.run_id)) {
      throw notFound(`Run with id=${b.run_id} not found`);
    }
    const now = Date.now();
    const version: StoredVersion = {
      name: model.name,
      version: String(model.versions.length + 1),
      creation_timestamp: now,
      last_updated_timestamp: now,
      current_stage: 'None',
      description: typeof b.description === 'string' ? b.description : '',
      source,
      run_id: typeof b.run_id === 'string' ? b.run_id : '',
      status: 'READY',
      tags: tagList(b.tags),
    };
    model.versions.push(version);
    model.last_updated_timestamp = now;
    return { model_version: this.#versionJson(version) };
  }

  #findVersion(b: Json): StoredVersion {
    const model = this.#findModel(b);
    const version = required(b, 'version');
    const found = model.versions.find((v) => v.version === version);
    if (!found) throw notFound(`Model Version (name=${model.name}, version=${version}) not found`);
    return found;
  }

  #searchModelVersions(b: Json): Json {
    const maxResults = b.max_results === undefined ? 200_000 : Number(b.max_results);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 200_000) {
      throw invalid(
        `Invalid value for max_results. It must be at most 200000, but got value ${String(b.max_results)}`,
      );
    }
    const predicate = parseVersionFilter(typeof b.filter === 'string' ? b.filter : '');
    const all = [...this.#models.values()]
      .flatMap((m) => m.versions)
      .filter(predicate)
      .sort((a, z) => a.name.localeCompare(z.name) || Number(z.version) - Number(a.version));
    return paginate(all, maxResults, b.page_token, 'model_versions', (v) => this.#versionJson(v));
  }

  #setAlias(b: Json): Json {
    const version = this.#findVersion(b);
    const alias = required(b, 'alias');
    checkAlias(alias);
    this.#models.get(version.name)!.aliases.set(alias, version.version);
    return {};
  }

  #deleteAlias(b: Json): Json {
    const model = this.#findModel(b);
    const alias = required(b, 'alias');
    model.aliases.delete(alias);
    return {};
  }

  #getByAlias(b: Json): Json {
    const model = this.#findModel(b);
    const alias = required(b, 'alias');
    const version = model.aliases.get(alias);
    if (version === undefined) throw notFound(`Registered model alias ${alias} not found.`);
    return { model_version: this.#versionJson(model.versions.find((v) => v.version === version)!) };
  }

  #modelJson(model: StoredModel): Json {
    return {
      name: model.name,
      creation_timestamp: model.creation_timestamp,
      last_updated_timestamp: model.last_updated_timestamp,
      description: model.description,
      tags: model.tags,
      aliases: [...model.aliases].map(([alias, version]) => ({ alias, version })),
    };
  }

  #versionJson(version: StoredVersion): Json {
    const model = this.#models.get(version.name)!;
    const aliases = [...model.aliases].filter(([, v]) => v === version.version).map(([a]) => a);
    return { ...version, aliases };
  }
}

function required(b: Json, field: string): string {
  const value = b[field];
  if (typeof value !== 'string' || value === '') {
    throw invalid(
      `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
    );
  }
  return value;
}

function tagList(value: unknown): Tag[] {
  if (!Array.isArray(value)) return [];
  return value.map((t: Json) => {
    checkKey(t.key, 'tag');
    return { key: t.key as string, value: typeof t.value === 'string' ? t.value : '' };
  });
}

function upsertTag(tags: Tag[], key: string, value: string): void {
  const found = tags.find((t) => t.key === key);
  if (found) found.value = value;
  else tags.push({ key, value });
}

function checkKey(key: unknown, what: string): void {
  if (typeof key !== 'string' || key === '')
    throw invalid(`Missing value for required parameter '${what} key'.`);
  if (key.length > 250)
    throw invalid(
      `${what} key '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of 250`,
    );
  if (!KEY_PATTERN.test(key)) {
    throw invalid(
      `Invalid ${what} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`,
    );
  }
}

function checkValue(value: unknown, what: string, key: string): void {
  if (typeof value !== 'string')
    throw invalid(`Missing value for required parameter '${what} value' of '${key}'.`);
  if (value.length > 250) {
    throw invalid(
      `${what} value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of 250`,
    );
  }
}

function checkAlias(alias: string): void {
  if (alias.toLowerCase() === 'latest') throw invalid("'latest' alias name (case insensitive) is reserved.");
  if (/^v\d+$/i.test(alias)) throw invalid(`Version alias name '${alias}' is reserved.`);
}

function paginate<T>(
  items: T[],
  maxResults: number,
  token: unknown,
  field: string,
  toJson: (item: T) => Json,
): Json {
  let offset = 0;
  if (typeof token === 'string' && token !== '') {
    try {
      offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: number }).offset;
    } catch {
      throw invalid(`Invalid page token, could not base64-decode`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw invalid('Invalid page token');
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults < items.length;
  return {
    [field]: page.map(toJson),
    ...(next
      ? { next_page_token: Buffer.from(JSON.stringify({ offset: offset + maxResults })).toString('base64') }
      : {}),
  };
}

/** The subset of MLflow's search grammar the stand-in understands: `a = 'b'` clauses joined by AND. */
function clauses(filter: string): Array<{ field: string; value: string }> {
  if (filter.trim() === '') return [];
  return filter.split(/\s+and\s+/i).map((part) => {
    const m = /^\s*([\w.]+|[\w]+\.(?:"[^"]+"|`[^`]+`))\s*=\s*'([^']*)'\s*$/.exec(part);
    if (!m)
      throw invalid(`Invalid filter '${filter}' (the stand-in supports "<field> = '<value>'" joined by AND)`);
    return { field: m[1]!.replace(/["`]/g, ''), value: m[2]! };
  });
}

function parseRunFilter(filter: string): (run: StoredRun) => boolean {
  const parts = clauses(filter);
  return (run) =>
    parts.every(({ field, value }) => {
      if (field.startsWith('tags.'))
        return run.tags.some((t) => t.key === field.slice(5) && t.value === value);
      if (field.startsWith('params.'))
        return run.params.some((p) => p.key === field.slice(7) && p.value === value);
      if (field === 'attributes.status' || field === 'status') return run.info.status === value;
      if (field === 'attributes.run_name' || field === 'run_name') return run.info.run_name === value;
      throw invalid(`Invalid attribute key '${field}' specified.`);
    });
}

function parseVersionFilter(filter: string): (version: StoredVersion) => boolean {
  const parts = clauses(filter);
  return (version) =>
    parts.every(({ field, value }) => {
      if (field === 'name') return version.name === value;
      if (field === 'run_id') return version.run_id === value;
      if (field.startsWith('tags.'))
        return version.tags.some((t) => t.key === field.slice(5) && t.value === value);
      throw invalid(`Invalid attribute key '${field}' specified.`);
    });
}
