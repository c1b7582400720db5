/** S3 failures against the real S3 protocol server: each must end in one clear E_ARTIFACT line. */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { closedPort } from '../../lib/test-support/local-server.js';
import type { VersionInfo } from '../metadata.js';
import { createTestBucket, S3_TEST, testS3Client } from '../test-support/s3-server.js';
import { TcpProxy } from '../test-support/tcp-proxy.js';
import { parseS3Uri, S3ArtifactStore, type S3StoreOptions } from './store.js';

const INFO: VersionInfo = {
  runId: null,
  createdAt: '2025-06-01T00:00:00.000Z',
  features: [],
  params: {},
  trainingWindow: null,
  metrics: {},
  dataFingerprint: 'x',
  code: { version: '0.1.0', gitCommit: null },
};
const FILES = {
  'a.json': new Uint8Array([1, 2]),
  'b.ubj': new Uint8Array(70_000).fill(7),
  'c.f32': new Uint8Array(8),
};
const KEY = { region: 'IE', target: 'dc_load_mw', model: 'xgb', version: 1 } as const;

describe('S3 artifact store failures', () => {
  let bucket: string;
  let dispose: () => Promise<void>;
  const options = (overrides: Partial<S3StoreOptions> = {}): S3StoreOptions => ({
    uri: `s3://${bucket}/p`,
    endpoint: S3_TEST.endpoint,
    region: S3_TEST.region,
    accessKeyId: S3_TEST.accessKeyId,
    secretAccessKey: S3_TEST.secretAccessKey,
    maxAttempts: 1,
    connectionTimeoutMs: 1_000,
    ...overrides,
  });
  beforeAll(async () => {
    ({ bucket, dispose } = await createTestBucket());
  }, 600_000);
  afterAll(() => dispose?.());

  it('parses s3:// URIs', () => {
    expect(parseS3Uri('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseS3Uri('s3://b/x/y/')).toEqual({ bucket: 'b', prefix: 'x/y/' });
    expect(() => parseS3Uri('s3:///x')).toThrow(/not s3:\/\/bucket/);
  });

  it('names the endpoint when nothing listens there', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const store = new S3ArtifactStore(options({ endpoint }));
    const write = store.writeVersion(KEY, FILES, INFO);
    await expect(write).rejects.toSatisfy((e) => isDcgridError(e, 'E_ARTIFACT'));
    await expect(store.writeVersion(KEY, FILES, INFO)).rejects.toThrow(
      `S3 endpoint ${endpoint} is unreachable (ECONNREFUSED)`,
    );
    await expect(store.readVersion(KEY)).rejects.toThrow(/is unreachable .* while reading/);
    await expect(store.listVersions()).rejects.toThrow(/is unreachable .* while listing/);
  });

  it('fails cleanly when the server goes away in the middle of a write, and leaves no version', async () => {
    const proxy = await TcpProxy.start(S3_TEST.endpoint);
    const store = new S3ArtifactStore(options({ endpoint: proxy.url }));
    const write = store.writeVersion(KEY, FILES, INFO, {
      onFile: async (_name, index) => {
        if (index === 1) await proxy.stop();
      },
    });
    await expect(write).rejects.toThrow(`S3 endpoint ${proxy.url} is unreachable`);
    const direct = new S3ArtifactStore(options());
    expect(await direct.hasVersion(KEY)).toBe(false);
    await expect(direct.readVersion(KEY)).rejects.toThrow(/missing or incomplete/);
    // What the interrupted write left is cleared when the version is written again.
    await direct.writeVersion(KEY, FILES, INFO);
    expect((await direct.readVersion(KEY)).files['b.ubj']).toEqual(FILES['b.ubj']);
  });

  it('says so when the credentials are refused', async () => {
    const store = new S3ArtifactStore(options({ secretAccessKey: 'wrong' }));
    await expect(store.writeVersion({ ...KEY, version: 2 }, FILES, INFO)).rejects.toThrow(
      /refused the credentials .*check AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/,
    );
  });

  it('says so when the bucket does not exist', async () => {
    const store = new S3ArtifactStore(options({ uri: `s3://${bucket}-missing/p` }));
    await expect(store.listVersions()).rejects.toThrow(
      `bucket "${bucket}-missing" does not exist at S3 endpoint`,
    );
  });

  it('takes a prefix that ends in a models folder as the models folder itself', async () => {
    const client = testS3Client();
    try {
      for (const [prefix, expected] of [
        ['models', 'models/IE/dc_load_mw/xgb/1/'],
        ['team/models/', 'team/models/IE/dc_load_mw/xgb/1/'],
        ['team/modelsx', 'team/modelsx/models/IE/dc_load_mw/xgb/1/'],
      ] as const) {
        const store = new S3ArtifactStore(options({ uri: `s3://${bucket}/${prefix}` }));
        const stored = await store.writeVersion(KEY, FILES, INFO);
        expect(stored.uri).toBe(`s3://${bucket}/${expected}`);
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: expected }));
        expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(
          ['_COMPLETE', 'a.json', 'b.ubj', 'c.f32', 'metadata.json'].map((name) => expected + name),
        );
        expect(await store.listVersions()).toEqual([KEY]);
        expect((await store.readVersion(KEY)).files['a.json']).toEqual(FILES['a.json']);
        store.client.destroy();
      }
    } finally {
      client.destroy();
    }
  });
});
