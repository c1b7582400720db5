import type { Config } from '../config/config.js';
import { FileArtifactStore } from './file/store.js';
import { S3ArtifactStore } from './s3/store.js';
import type { ArtifactStore } from './store.js';

export type ArtifactSettings = Pick<
  Config,
  'artifactUri' | 'S3_ENDPOINT' | 'AWS_REGION' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY'
>;

/**
 * The artifact store ARTIFACT_URI names: file://... (default: DCGRID_HOME/artifacts) or
 * s3://bucket/prefix with S3_ENDPOINT (path-style), AWS_REGION and the AWS_* credentials (or the
 * SDK's usual credential chain when those are unset).
 */
export function openArtifactStore(config: ArtifactSettings): ArtifactStore {
  if (config.artifactUri.startsWith('s3://')) {
    return new S3ArtifactStore({
      uri: config.artifactUri,
      region: config.AWS_REGION,
      ...(config.S3_ENDPOINT !== undefined ? { endpoint: config.S3_ENDPOINT } : {}),
      ...(config.AWS_ACCESS_KEY_ID !== undefined ? { accessKeyId: config.AWS_ACCESS_KEY_ID } : {}),
      ...(config.AWS_SECRET_ACCESS_KEY !== undefined
        ? { secretAccessKey: config.AWS_SECRET_ACCESS_KEY }
        : {}),
    });
  }
  return new FileArtifactStore(config.artifactUri);
}
