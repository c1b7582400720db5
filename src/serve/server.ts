/**
 * `dcgrid serve`: opens the store (in embedded mode the server holds the database), builds the
 * app, listens on API_HOST:API_PORT, and on SIGTERM/SIGINT stops taking connections, lets the
 * requests in flight finish, stops background work and closes the store.
 */
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { openRegistry } from '../registry/open.js';
import { embeddedDataDir, openStore } from '../store/open.js';
import { recordServerUrl } from '../store/pglite/lock.js';
import { markOrphanedRuns } from '../tracking/orphans.js';
import { openMlflowClient, openTracker } from '../tracking/open.js';
import { buildApp } from './app.js';

export interface RunningServer {
  url: string;
  /** Whether the dashboard is served at `url`/ (it is when web/dist or the given folder is built). */
  dashboard: boolean;
  /** Resolves when the server has shut down (after a signal or close()). */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: { webRoot?: string; signals?: boolean } = {},
): Promise<RunningServer> {
  const store = await openStore(config, { owner: `dcgrid serve (port ${config.API_PORT})` });
  let shutdown: Promise<void> | undefined;
  try {
    const mlflow = openMlflowClient(config);
    await markOrphanedRuns(store, mlflow ? { mlflow } : {});
    const deps = {
      store,
      registry: openRegistry(config, store),
      tracker: openTracker(config, store),
      config,
      logger,
      ...(options.webRoot !== undefined ? { webRoot: options.webRoot } : {}),
    };
    const built = await buildApp(deps);
    const url = await built.app.listen({ port: config.API_PORT, host: config.API_HOST });
    // Other dcgrid commands find the API through the embedded database's lock (src/cli/via-api.ts).
    if (store.kind === 'pglite') await recordServerUrl(embeddedDataDir(config), url);
    logger.info(
      {
        url,
        store: store.description,
        docs: `${url}/api/docs`,
        dashboard: built.dashboard ? `${url}/` : null,
      },
      'dcgrid API listening',
    );

    let resolveClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    const close = () => {
      shutdown ??= (async () => {
        logger.info('shutting down: finishing requests in flight');
        await built.app.close();
        await built.stopBackgroundWork();
        await store.close();
        logger.info('stopped');
        resolveClosed();
      })();
      return shutdown;
    };
    if (options.signals !== false) {
      const onSignal = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'signal received');
        void close().finally(() => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
        });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    }
    return { url, dashboard: built.dashboard, closed, close };
  } catch (error) {
    if (shutdown === undefined) await store.close();
    throw error;
  }
}
