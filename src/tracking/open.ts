import type { Config } from '../config/config.js';
import type { Store } from '../store/store.js';
import { EmbeddedTracker } from './embedded/tracker.js';
import { MlflowClient } from './mlflow/client.js';
import { MlflowTracker } from './mlflow/tracker.js';
import { MirroredTracker } from './mirrored.js';
import type { Tracker } from './tracker.js';

/** True when MLFLOW_TRACKING_URI names an MLflow server (http or https). */
export function mlflowConfigured(config: Pick<Config, 'MLFLOW_TRACKING_URI'>): boolean {
  return /^https?:\/\//i.test(config.MLFLOW_TRACKING_URI ?? '');
}

/** The MLflow client the settings name, or undefined when MLflow is not configured. */
export function openMlflowClient(config: Pick<Config, 'MLFLOW_TRACKING_URI'>): MlflowClient | undefined {
  return mlflowConfigured(config)
    ? new MlflowClient({ trackingUri: config.MLFLOW_TRACKING_URI! })
    : undefined;
}

/**
 * The tracker the settings ask for: the embedded tables, mirrored to MLflow when
 * MLFLOW_TRACKING_URI is an http(s) URL.
 */
export function openTracker(config: Pick<Config, 'MLFLOW_TRACKING_URI'>, store: Store): Tracker {
  const embedded = new EmbeddedTracker(store);
  const client = openMlflowClient(config);
  return client === undefined ? embedded : new MirroredTracker(embedded, new MlflowTracker(client));
}
