import type { Config } from '../config/config.js';
import { openArtifactStore, type ArtifactSettings } from '../artifacts/open.js';
import type { Store } from '../store/store.js';
import { openMlflowClient } from '../tracking/open.js';
import { MlflowRegistryMirror } from './mlflow-mirror.js';
import { ModelRegistry } from './registry.js';

/** The registry the settings describe: artifacts from ARTIFACT_URI, MLflow mirror when configured. */
export function openRegistry(
  config: ArtifactSettings & Pick<Config, 'PROMOTION_METRIC' | 'MLFLOW_TRACKING_URI'>,
  store: Store,
): ModelRegistry {
  const client = openMlflowClient(config);
  return new ModelRegistry(store, openArtifactStore(config), {
    promotionMetric: config.PROMOTION_METRIC,
    ...(client !== undefined ? { mirror: new MlflowRegistryMirror(client) } : {}),
  });
}
