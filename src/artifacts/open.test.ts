import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { FileArtifactStore } from './file/store.js';
import { openArtifactStore } from './open.js';
import { S3ArtifactStore } from './s3/store.js';

const config = (env: Record<string, string>) => loadConfig(env, { dotenv: false, cwd: '/srv/dcgrid' });

describe('openArtifactStore', () => {
  it('defaults to a folder under DCGRID_HOME', () => {
    const store = openArtifactStore(config({}));
    expect(store).toBeInstanceOf(FileArtifactStore);
    expect((store as FileArtifactStore).root).toBe('/srv/dcgrid/.dcgrid/artifacts');
    expect(store.versionUri({ region: 'NI', target: 'demand_mw', model: 'tft', version: 2 })).toBe(
      'file:///srv/dcgrid/.dcgrid/artifacts/models/NI/demand_mw/tft/2/',
    );
  });

  it('opens an S3 bucket with the endpoint, region and credentials of the settings', async () => {
    const store = openArtifactStore(
      config({
        ARTIFACT_URI: 's3://models/dcgrid/prod',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'id',
        AWS_SECRET_ACCESS_KEY: 'secret',
      }),
    ) as S3ArtifactStore;
    expect(store).toBeInstanceOf(S3ArtifactStore);
    expect(store.bucket).toBe('models');
    expect(store.description).toBe('S3 bucket models at http://127.0.0.1:9000');
    expect(store.versionUri({ region: 'IE', target: 'dc_load_mw', model: 'xgb', version: 7 })).toBe(
      's3://models/dcgrid/prod/models/IE/dc_load_mw/xgb/7/',
    );
    expect(await store.client.config.region()).toBe('eu-west-1');
    expect(await store.client.config.credentials()).toMatchObject({
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    });
    expect(store.client.config.forcePathStyle).toBe(true);
    store.client.destroy();
  });
});
