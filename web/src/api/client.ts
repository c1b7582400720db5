/**
 * HTTP to the public API, nothing else: every number the dashboard shows comes through here, so
 * whatever a user sees can be scripted with the same calls (docs/API.md). Error answers are RFC 9457
 * problem documents; their `detail` becomes the message a view shows.
 */

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${path}${search ? `?${search}` : ''}`;
}

async function problemOf(response: Response, path: string): Promise<ApiCallError> {
  let code = `HTTP_${response.status}`;
  let detail = response.statusText || 'request failed';
  try {
    const body = (await response.json()) as { code?: unknown; detail?: unknown; title?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.detail === 'string') detail = body.detail;
    else if (typeof body.title === 'string') detail = body.title;
  } catch {
    // not JSON (a proxy's error page): keep the status text
  }
  return new ApiCallError(response.status, code, `${path} answered ${response.status}: ${detail}`, path);
}

async function send<T>(path: string, init: RequestInit, query?: Query): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url(path, query), {
      ...init,
      headers: { accept: 'application/json', ...init.headers },
    });
  } catch (error) {
    throw new ApiCallError(0, 'E_NETWORK', `${path}: the API could not be reached (${String(error)})`, path);
  }
  if (!response.ok) throw await problemOf(response, path);
  return (await response.json()) as T;
}

export function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return send<T>(path, signal ? { signal } : {}, query);
}

export function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return send<T>(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    ...(signal ? { signal } : {}),
  });
}
