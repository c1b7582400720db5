import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import type { Tracker } from '../tracking/tracker.js';

/** What the API reads and writes through; `buildApp` takes these so tests can pass their own. */
export interface ServeDeps {
  store: Store;
  registry: ModelRegistry;
  tracker: Tracker;
  config: Config;
  logger: Logger;
  /** Folder of the built dashboard (served at `/` when present); default `web/dist`. */
  webRoot?: string;
}
