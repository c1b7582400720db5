/**
 * A stand-in MLflow tracking server, for what a real one cannot be made to do: answer 5xx on
 * demand (`failNext`, `failNextOn`), go away mid-run (`close`), or show the exact requests it got.
 * Everything else is tested against a real MLflow server too (test-support/mlflow-servers.ts), and
 * the same contract suite runs against this stand-in, so it answers as MLflow 2.22 does: the
 * paths and JSON field names of service.proto / model_registry.proto / mlflow_artifacts.proto,
 * MLflow's error body {"error_code", "message"} and statuses (RESOURCE_DOES_NOT_EXIST 404,
 * RESOURCE_ALREADY_EXISTS and INVALID_PARAMETER_VALUE 400, a missing alias 400, a missing
 * artifact 500), the log-batch limits, params that cannot change, param values over 6000 and tag
 * values over 8000 characters cut without a word, "NaN" / "Infinity" metric values (infinities
 * kept as ±1.7976931348623157e308, as a SQL store does), paginated search, alias name rules, a
 * model version source checked as MLflow checks it, and JSON-only request bodies.
 *
 * Artifact roots: `proxied` (default) gives runs `mlflow-artifacts:/<experiment>/<run>/artifacts`
 * kept in memory; `local` gives them a folder under a temporary directory, read by artifacts/list
 * and refused by the artifact proxy, as `mlflow server --no-serve-artifacts` does; `s3` gives an
 * s3:// root the server neither proxies nor lists.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
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
   * `mlflow server --serve-artifacts`; `local`: a folder, as with --no-serve-artifacts and a local
   * artifact root; `s3`: an s3:// root the server does not proxy.
   */
  artifactRoot?: 'proxied' | 'local' | 's3';
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
const MAX_PARAM_VALUE = 6000;
const MAX_TAG_VALUE = 8000;
const MAX_FLOAT = 1.7976931348623157e308;
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
  /** The artifact folder of the `local` mode. */
  readonly localRoot: string | undefined;
  url = '';

  private constructor(options: StandInOptions) {
    this.#options = options;
    this.localRoot =
      options.artifactRoot === 'local' ? mkdtempSync(join(tmpdir(), 'dcgrid-mlflow-stand-in-')) : undefined;
    this.#experiments.set('0', {
      experiment_id: '0',
      name: 'Default',
      artifact_location: this.#experimentRoot('0'),
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
    if (this.localRoot !== undefined) rmSync(this.localRoot, { recursive: true, force: true });
  }

  #experimentRoot(id: string): string {
    if (this.#options.artifactRoot === 's3') return `s3://mlflow-bucket/${id}`;
    if (this.localRoot !== undefined) return join(this.localRoot, id);
    return `mlflow-artifacts:/${id}`;
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
        if (this.#options.artifactRoot === 'local') {
          res
            .writeHead(503, { 'content-type': 'text/plain' })
            .end(
              'Endpoint: /api/2.0/mlflow-artifacts/artifacts/<path:artifact_path> disabled due to the mlflow ' +
                'server running with `--no-serve-artifacts`. To enable artifacts server functionality, run ' +
                '`mlflow server` with `--serve-artifacts`',
            );
          return;
        }
        const path = decodeURIComponent(url.pathname.slice(artifactPrefix.length));
        this.requests.push({ method, path: '/mlflow-artifacts/artifacts', body: path });
        return this.#artifact(method, path, raw, res);
      }
      if (url.pathname === '/model-versions/get-artifact' && method === 'GET') {
        this.requests.push({ method, path: url.pathname, body: Object.fromEntries(url.searchParams) });
        return this.#modelVersionArtifact(url.searchParams, res);
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
      res.writeHead(200, { 'content-type': 'application/json' }).end(toJson(result));
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
      'GET /metrics/get-history': (b) => this.#metricHistory(b),
      'GET /artifacts/list': (b) => this.#listArtifacts(b),
      'GET /model-versions/get-download-uri': (b) => ({ artifact_uri: this.#findVersion(b).source }),
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
        typeof b.artifact_location === 'string' ? b.artifact_location : this.#experimentRoot(id),
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
    const artifactUri = `${this.#experiments.get(experimentId)!.artifact_location}/${runId}/artifacts`;
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
      if (typeof m.value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(m.value as string))
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
      p.value = (p.value as string).slice(0, MAX_PARAM_VALUE);
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
      t.value = (t.value as string).slice(0, MAX_TAG_VALUE);
    }
    for (const p of params) {
      if (!run.params.some((x) => x.key === p.key))
        run.params.push({ key: p.key as string, value: p.value as string });
    }
    for (const t of tags) upsertTag(run.tags, t.key as string, t.value as string);
    for (const m of metrics) {
      run.metrics.push({
        key: m.key as string,
        value: storedMetricValue(m.value as number | string),
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
    upsertTag(run.tags, b.key as string, b.value.slice(0, MAX_TAG_VALUE));
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

  #metricHistory(b: Json): Json {
    const run = this.#findRun(b);
    const key = required(b, 'metric_key');
    return { metrics: run.metrics.filter((m) => m.key === key) };
  }

  #listArtifacts(b: Json): Json {
    const run = this.#findRun(b);
    const path = typeof b.path === 'string' ? b.path.replace(/\/+$/, '') : '';
    if (path.split('/').includes('..')) throw invalid(`Invalid path: ${path}`);
    const root = run.info.artifact_uri;
    const files: Json[] = [];
    if (root.startsWith('/')) {
      const folder = join(root, path);
      let names: string[] = [];
      try {
        names = readdirSync(folder).sort();
      } catch {
        names = [];
      }
      for (const name of names) {
        const info = statSync(join(folder, name));
        const relative = path === '' ? name : `${path}/${name}`;
        files.push(
          info.isDirectory()
            ? { path: relative, is_dir: true }
            : { path: relative, is_dir: false, file_size: info.size },
        );
      }
    } else if (root.startsWith('mlflow-artifacts:')) {
      const base = `${root.slice('mlflow-artifacts:/'.length)}/${path === '' ? '' : `${path}/`}`;
      const children = new Map<string, Json>();
      for (const [key, bytes] of this.artifacts) {
        if (!key.startsWith(base)) continue;
        const rest = key.slice(base.length);
        const [first, ...more] = rest.split('/');
        const relative = path === '' ? first! : `${path}/${first!}`;
        children.set(
          relative,
          more.length > 0
            ? { path: relative, is_dir: true }
            : { path: relative, is_dir: false, file_size: bytes.length },
        );
      }
      files.push(...[...children.keys()].sort().map((k) => children.get(k)!));
    }
    return { root_uri: root, ...(files.length > 0 ? { files } : {}) };
  }

  #modelVersionArtifact(query: URLSearchParams, res: ServerResponse): void {
    const version = this.#findVersion({ name: query.get('name') ?? '', version: query.get('version') ?? '' });
    const path = query.get('path') ?? '';
    if (path.split('/').includes('..')) throw invalid(`Invalid path: ${path}`);
    let bytes: Buffer | undefined;
    if (version.source.startsWith('mlflow-artifacts:/')) {
      bytes = this.artifacts.get(`${version.source.slice('mlflow-artifacts:/'.length)}/${path}`);
    } else if (version.source.startsWith('/')) {
      try {
        bytes = readFileSync(join(version.source, path));
      } catch {
        bytes = undefined;
      }
    }
    if (bytes === undefined) {
      throw new ApiError(500, 'INTERNAL_ERROR', `[Errno 2] No such file or directory: '${path}'`);
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
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
      if (!bytes) {
        throw new ApiError(
          500,
          'INTERNAL_ERROR',
          `The following failures occurred while downloading one or more artifacts: ${path}: ` +
            `[Errno 2] No such file or directory: '${path}'`,
        );
      }
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
    this.#checkSource(source, typeof b.run_id === 'string' ? b.run_id : '');
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

  /** As MLflow's _validate_source: a local path only inside the artifact folder of the given run. */
  #checkSource(source: string, runId: string): void {
    const local = source.startsWith('/') || source.startsWith('file:') || !/^[a-z][\w+.-]*:/i.test(source);
    if (local) {
      const path = resolve(source.replace(/^file:(\/\/)?/, ''));
      const root = this.#runs.get(runId)?.info.artifact_uri;
      if (root !== undefined && root.startsWith('/')) {
        const folder = resolve(root);
        if (path === folder || path.startsWith(folder + sep)) return;
      }
      throw invalid(
        `Invalid model version source: '${path}'. To use a local path as a model version source, the run_id ` +
          'request parameter has to be specified and the local path has to be contained within the artifact ' +
          'directory of the run specified by the run_id.',
      );
    }
    if (decodeURIComponent(source).split('/').includes('..') || source.includes('\0')) {
      throw invalid(`Invalid model version source: '${source}'. Please provide an absolute path.`);
    }
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
    const name = required(b, 'name');
    const alias = required(b, 'alias');
    const version = this.#models.get(name)?.aliases.get(alias);
    if (version === undefined) throw invalid(`Registered model alias ${alias} not found.`);
    const model = this.#models.get(name)!;
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

/** NaN stays NaN; infinities become the largest float, as a SQL-backed MLflow stores them. */
function storedMetricValue(value: number | string): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (number === Number.POSITIVE_INFINITY) return MAX_FLOAT;
  if (number === Number.NEGATIVE_INFINITY) return -MAX_FLOAT;
  return number;
}

/** JSON as MLflow writes it: a NaN metric value as the string "NaN". */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
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
