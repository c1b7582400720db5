/** Starts the real API on a free port of 127.0.0.1 over a served store, for tests that call it over HTTP. */
import type { AddressInfo } from 'node:net';
import type { Config } from '../../config/config.js';
import { createLogger } from '../../lib/logger.js';
import { buildApp, type BuiltApp } from '../app.js';
import type { ServedStore } from './served-store.js';

export interface TestApi {
  url: string;
  built: BuiltApp;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApi(
  served: Pick<ServedStore, 'store' | 'registry' | 'tracker' | 'config'>,
  overrides: Partial<Config> = {},
  options: { webRoot?: string } = {},
): Promise<TestApi> {
  const config: Config = { ...served.config, API_CACHE_CHECK_MS: 0, ...overrides };
  const built = await buildApp({
    store: served.store,
    registry: served.registry,
    tracker: served.tracker,
    config,
    logger: createLogger('test-api', process.env.DCGRID_TEST_LOG ?? 'silent'),
    webRoot: options.webRoot ?? '/nonexistent-web-root',
  });
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}`;
  return {
    url,
    built,
    get: (path, headers = {}) => fetch(`${url}${path}`, { headers }),
    post: (path, body, headers = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await built.app.close();
      await built.stopBackgroundWork();
    },
  };
}
