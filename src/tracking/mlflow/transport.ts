/**
 * HTTP to an MLflow tracking server: JSON in and out, a timeout per attempt, retries with back-off
 * on network errors and 429 / 5xx answers (as MLflow's own clients do), and MLflow's error body
 * `{"error_code": ..., "message": ...}` turned into an MlflowError (a DcgridError E_TRACKING that
 * keeps MLflow's code).
 */
import type { z } from 'zod';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

export class MlflowError extends DcgridError {
  constructor(
    /** MLflow's error_code (RESOURCE_DOES_NOT_EXIST, ...), or UNREACHABLE / BAD_RESPONSE / HTTP_<status>. */
    readonly mlflowCode: string,
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(ErrorCodes.TRACKING, message, {}, options);
    this.name = 'MlflowError';
  }
}

export function isMlflowError(error: unknown, code?: string): error is MlflowError {
  return error instanceof MlflowError && (code === undefined || error.mlflowCode === code);
}

export interface TransportOptions {
  /** http(s)://host[:port][/prefix]; user:password in it are sent as HTTP basic auth. */
  trackingUri: string;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First back-off delay, doubled each retry (default 250 ms). */
  backoffMs?: number;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export type Query = Record<string, string | number | readonly string[] | undefined>;

export class MlflowTransport {
  readonly baseUrl: string;
  /** The server, without credentials, for messages. */
  readonly server: string;
  readonly #authorization: string | undefined;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #backoffMs: number;

  constructor(options: TransportOptions) {
    let url: URL;
    try {
      url = new URL(options.trackingUri);
    } catch {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `MLFLOW_TRACKING_URI is not a URL: "${options.trackingUri}"`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `MLFLOW_TRACKING_URI must be http(s)://, got "${url.protocol}"`,
      );
    }
    this.#authorization =
      url.username !== ''
        ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
        : undefined;
    url.username = '';
    url.password = '';
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.server = `MLflow at ${this.baseUrl}`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retries = options.retries ?? 3;
    this.#backoffMs = options.backoffMs ?? 250;
  }

  /** Calls `/api/2.0/mlflow<endpoint>`: GET with a query string, the other methods with a JSON body. */
  async call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    endpoint: string,
    payload: Query | Record<string, unknown>,
    schema: S,
  ): Promise<z.output<S>> {
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow${endpoint}`);
    let body: string | undefined;
    if (method === 'GET') {
      for (const [key, value] of Object.entries(payload as Query)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
    } else {
      body = JSON.stringify(payload);
    }
    const text = new TextDecoder().decode(await this.#send(method, url, body, 'application/json'));
    let json: unknown;
    try {
      json = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new MlflowError(
        'BAD_RESPONSE',
        `${this.server}: ${method} ${endpoint} answered with non-JSON: ${snippet(text)}`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MlflowError(
        'BAD_RESPONSE',
        `${this.server}: unexpected answer to ${method} ${endpoint} (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
      );
    }
    return parsed.data;
  }

  /** GET raw bytes from a path of the server outside the REST API (e.g. /model-versions/get-artifact). */
  async getRaw(path: string, query: Record<string, string>): Promise<Uint8Array> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return this.#send('GET', url, undefined, undefined);
  }

  /** PUT raw bytes to `/api/2.0/mlflow-artifacts/artifacts/<path>` (the artifact proxy). */
  async uploadArtifact(encodedPath: string, bytes: Uint8Array): Promise<void> {
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encodedPath}`);
    await this.#send('PUT', url, bytes, 'application/octet-stream');
  }

  /** GET raw bytes from the artifact proxy. */
  async downloadArtifact(encodedPath: string): Promise<Uint8Array> {
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encodedPath}`);
    return this.#send('GET', url, undefined, undefined);
  }

  async #send(
    method: string,
    url: URL,
    body: string | Uint8Array | undefined,
    contentType: string | undefined,
  ): Promise<Uint8Array> {
    const what = `${method} ${url.pathname}`;
    const headers: Record<string, string> = {};
    if (contentType !== undefined && body !== undefined) headers['content-type'] = contentType;
    if (this.#authorization !== undefined) headers.authorization = this.#authorization;
    let problem = '';
    for (let attempt = 0; attempt <= this.#retries; attempt++) {
      if (attempt > 0) await sleep(this.#backoffMs * 2 ** (attempt - 1));
      const timeout = AbortSignal.timeout(this.#timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body, signal: timeout });
      } catch (error) {
        problem = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : networkProblem(error);
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.ok) return bytes;
      const text = new TextDecoder().decode(bytes);
      const detail = settledAnswer(response.status, text) ?? errorDetail(text);
      if (!detail.settled && RETRYABLE_STATUS.has(response.status) && attempt < this.#retries) {
        problem = `HTTP ${response.status}${detail.code ? ` ${detail.code}` : ''}`;
        continue;
      }
      throw new MlflowError(
        detail.code ?? `HTTP_${response.status}`,
        `${this.server}: ${what} failed: ${detail.code ?? `HTTP ${response.status}`}: ${detail.message ?? snippet(text)}`,
        response.status,
      );
    }
    throw new MlflowError(
      'UNREACHABLE',
      `${this.server} is unreachable: ${what}: ${problem} (after ${this.#retries + 1} attempt(s))`,
    );
  }
}

interface ErrorDetail {
  code?: string;
  message?: string;
  /** A definite answer that asking again cannot change, whatever its status. */
  settled?: boolean;
}

/**
 * MLflow answers a few definite conditions with a status that usually means "try again": a
 * missing artifact is 500 INTERNAL_ERROR ("No such file or directory"), and the artifact proxy of
 * a server started with --no-serve-artifacts is 503. Retrying those only delays the error.
 */
function settledAnswer(status: number, text: string): ErrorDetail | undefined {
  const detail = errorDetail(text);
  if (status === 500 && /No such file or directory|does not exist/i.test(detail.message ?? '')) {
    return { code: 'RESOURCE_DOES_NOT_EXIST', message: detail.message ?? text, settled: true };
  }
  if (status === 503 && text.includes('--no-serve-artifacts')) {
    return { code: 'ARTIFACTS_NOT_PROXIED', message: snippet(text), settled: true };
  }
  return undefined;
}

function errorDetail(text: string): ErrorDetail {
  try {
    const json = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    return {
      ...(typeof json.error_code === 'string' ? { code: json.error_code } : {}),
      ...(typeof json.message === 'string' ? { message: json.message } : {}),
    };
  } catch {
    return {};
  }
}

function networkProblem(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ?? error.message;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
