/**
 * Every view's state lives in the URL hash (`#/forecast?region=IE&target=demand_mw`), so a link
 * reopens the same view with the same pickers. The hash keeps routing in the page: the server
 * needs to serve only index.html at `/`.
 */

export const VIEWS = ['overview', 'forecast', 'stress', 'advisor', 'scenarios', 'models', 'quality'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  params: URLSearchParams;
}

function isView(name: string): name is ViewName {
  return (VIEWS as readonly string[]).includes(name);
}

/** An unknown or empty view opens the overview; the parameters are kept as given. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const name = decodeURIComponent(q < 0 ? text : text.slice(0, q));
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  return { view: isView(name) ? name : 'overview', params };
}

/** Parameters with an undefined or empty value are left out; the rest keep their given order. */
export function formatRoute(view: ViewName, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, value);
  const query = search.toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** A parameter's value when it is one of `allowed`, else the fallback (a hand-edited link stays usable). */
export function pick<T extends string>(
  params: URLSearchParams,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = params.get(key);
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
