/** The same contract, checked on both backends: a temp folder and the real S3 protocol server. */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import type { ModelFiles } from '../models/types.js';
import { FileArtifactStore, THIS_HOST } from './file/store.js';
import { versionPath } from './layout.js';
import type { VersionInfo } from './metadata.js';
import { S3ArtifactStore } from './s3/store.js';
import type { ArtifactStore, VersionKey } from './store.js';
import { createTestBucket, S3_TEST, testS3Client } from './test-support/s3-server.js';

interface Backend {
  store: ArtifactStore;
  /** Overwrites one stored object behind the store's back. */
  tamper(key: VersionKey, name: string, bytes: Uint8Array): Promise<void>;
  /** Leaves files of an interrupted write (no marker) as a killed writer would. */
  plantIncomplete(key: VersionKey): Promise<void>;
  /** Leaves files of a write that may still be in progress (a writer on another machine). */
  plantInProgress(key: VersionKey): Promise<void>;
  /** A store on the same root for which those leftovers are old enough to remove. */
  laterStore(key: VersionKey): Promise<ArtifactStore>;
  dispose(): Promise<void>;
}

async function fileBackend(): Promise<Backend> {
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-artifacts-'));
  const store = new FileArtifactStore(`file://${root}`);
  return {
    store,
    tamper: (key, name, bytes) => writeFile(join(root, versionPath(key), name), bytes),
    async plantIncomplete(key) {
      // The folder name of a writer of this host whose process is gone (pid 2^22 + 1 is above
      // Linux's pid_max).
      const folder = join(root, `${versionPath(key)}.tmp-4194305@${THIS_HOST}-abcdef`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'model.json'), '{}');
    },
    async plantInProgress(key) {
      const folder = join(root, `${versionPath(key)}.tmp-1@00000000-abcdef`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'model.json'), '{}');
    },
    async laterStore(key) {
      // Two hours on: the leftovers' times are moved back rather than the clock forward.
      const parent = join(root, versionPath(key), '..');
      const past = new Date(Date.now() - 2 * 3_600_000);
      for (const name of await readdir(parent)) {
        if (!name.startsWith(`${key.version}.tmp-`)) continue;
        for (const file of await readdir(join(parent, name)))
          await utimes(join(parent, name, file), past, past);
        await utimes(join(parent, name), past, past);
      }
      return store;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

async function s3Backend(): Promise<Backend> {
  const { bucket, dispose } = await createTestBucket();
  const options = {
    uri: `s3://${bucket}/runs/prod/`,
    endpoint: S3_TEST.endpoint,
    region: S3_TEST.region,
    accessKeyId: S3_TEST.accessKeyId,
    secretAccessKey: S3_TEST.secretAccessKey,
    pageSize: 2,
  };
  const store = new S3ArtifactStore(options);
  let later: S3ArtifactStore | undefined;
  const client = testS3Client();
  const put = (key: string, bytes: Uint8Array) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  return {
    store,
    tamper: async (key, name, bytes) => void (await put(`runs/prod/${versionPath(key)}/${name}`, bytes)),
    plantIncomplete: async (key) =>
      void (await put(`runs/prod/${versionPath(key)}/model.json`, new Uint8Array([123, 125]))),
    plantInProgress: async (key) =>
      void (await put(`runs/prod/${versionPath(key)}/model.json`, new Uint8Array([123, 125]))),
    // S3 stamps objects with the server's clock: a store whose age limit is zero stands in for one
    // that runs an hour later.
    laterStore: async () => {
      later = new S3ArtifactStore({ ...options, incompleteAgeMs: 0 });
      return later;
    },
    async dispose() {
      store.client.destroy();
      later?.client.destroy();
      client.destroy();
      await dispose();
    },
  };
}

const weights = new Float32Array([0.5, -1.25, 3.75, Number.NaN]);
const FILES: ModelFiles = {
  'config.json': new TextEncoder().encode('{"format":"dcgrid-xgb"}'),
  'model-p50.ubj': new Uint8Array([0x7b, 0x00, 0xff, 0x10]),
  'weights.f32': new Uint8Array(weights.buffer),
};

const INFO: VersionInfo = {
  runId: 'f'.repeat(32),
  createdAt: '2025-06-01T06:15:00.000Z',
  features: ['demand_mw', 'hour_sin'],
  params: { max_depth: 6, eta: 0.05 },
  horizon: 168,
  contextLength: 168,
  quantiles: [0.1, 0.5, 0.9],
  trainingWindow: { from: '2023-01-01T00:00:00.000Z', to: '2025-05-31T23:00:00.000Z' },
  metrics: { day_ahead_mase: 0.81, week_ahead_mase: null },
  dataFingerprint: 'sha256:abc',
  code: { version: '0.1.0', gitCommit: null },
};

const key = (version: number, model = 'xgb'): VersionKey => ({
  region: 'IE',
  target: 'dc_load_mw',
  model,
  version,
});

describe.each([
  ['file', fileBackend],
  ['s3', s3Backend],
] as const)('artifact store on %s', (_name, make) => {
  let backend: Backend;
  let store: ArtifactStore;
  beforeAll(async () => {
    backend = await make();
    store = backend.store;
  }, 600_000);
  afterAll(() => backend?.dispose());

  it('stores a version and reads back the same bytes and metadata', async () => {
    const stored = await store.writeVersion(key(1), FILES, INFO);
    expect(stored.uri).toBe(store.versionUri(key(1)));
    expect(stored.uri).toMatch(/models\/IE\/dc_load_mw\/xgb\/1\/$/);
    const back = await store.readVersion(key(1));
    expect(Object.keys(back.files).sort()).toEqual(Object.keys(FILES).sort());
    for (const [name, bytes] of Object.entries(FILES)) expect(back.files[name]).toEqual(bytes);
    expect(new Float32Array(back.files['weights.f32']!.slice().buffer)[2]).toBe(3.75);
    expect(back.metadata).toMatchObject({
      format: 'dcgrid-model',
      region: 'IE',
      target: 'dc_load_mw',
      model: 'xgb',
      version: 1,
      ...INFO,
    });
    expect(back.metadata.files.map((f) => f.name)).toEqual(['config.json', 'model-p50.ubj', 'weights.f32']);
    expect(back.metadata.files[1]).toEqual({
      name: 'model-p50.ubj',
      sizeBytes: 4,
      sha256: createHash('sha256').update(FILES['model-p50.ubj']!).digest('hex'),
    });
    expect(await store.readMetadata(key(1))).toEqual(back.metadata);
  });

  it('never overwrites a version', async () => {
    const again = store.writeVersion(key(1), { 'config.json': new Uint8Array([1]) }, INFO);
    await expect(again).rejects.toThrow(/exists already; versions are never overwritten/);
    expect((await store.readVersion(key(1))).files['config.json']).toEqual(FILES['config.json']);
  });

  it('lists complete versions, through several pages, with filters', async () => {
    for (const version of [2, 3, 4]) await store.writeVersion(key(version), FILES, INFO);
    await store.writeVersion(key(1, 'tft'), FILES, INFO);
    await store.writeVersion({ region: 'NI', target: 'demand_mw', model: 'xgb', version: 1 }, FILES, INFO);
    expect(await store.listVersions({ region: 'IE', target: 'dc_load_mw', model: 'xgb' })).toEqual([
      key(1),
      key(2),
      key(3),
      key(4),
    ]);
    expect(await store.listVersions({ region: 'IE', target: 'dc_load_mw' })).toHaveLength(5);
    expect(await store.listVersions()).toHaveLength(6);
    expect(await store.hasVersion(key(4))).toBe(true);
    expect(await store.hasVersion(key(5))).toBe(false);
  });

  it('leaves nothing readable when a write stops midway, and can write that version later', async () => {
    const controller = new AbortController();
    const stopped = store.writeVersion(key(5), FILES, INFO, {
      signal: controller.signal,
      onFile: (_name, index) => {
        if (index === 2) controller.abort();
      },
    });
    await expect(stopped).rejects.toSatisfy((e) => isDcgridError(e, 'E_INTERRUPTED'));
    const crashed = store.writeVersion(key(5), FILES, INFO, {
      onFile: (_name, index) => {
        if (index === 1) throw new Error('upload crashed');
      },
    });
    await expect(crashed).rejects.toThrow('upload crashed');
    expect(await store.hasVersion(key(5))).toBe(false);
    expect(await store.listVersions({ region: 'IE', target: 'dc_load_mw', model: 'xgb' })).not.toContainEqual(
      key(5),
    );
    await expect(store.readVersion(key(5))).rejects.toThrow(/missing or incomplete \(no _COMPLETE marker\)/);
    await store.writeVersion(key(5), FILES, INFO);
    expect((await store.readVersion(key(5))).files['weights.f32']).toEqual(FILES['weights.f32']);
  });

  it('refuses a version whose files or metadata changed after it was written', async () => {
    await store.writeVersion(key(6), FILES, INFO);
    await backend.tamper(key(6), 'model-p50.ubj', new Uint8Array([0x7b, 0x00, 0xff, 0x11]));
    await expect(store.readVersion(key(6))).rejects.toThrow(/model-p50.ubj does not match its sha256/);
    await backend.tamper(key(6), 'model-p50.ubj', new Uint8Array([1]));
    await expect(store.readVersion(key(6))).rejects.toThrow(
      /model-p50.ubj has 1 bytes, metadata.json says 4/,
    );
    await backend.tamper(key(6), 'metadata.json', new TextEncoder().encode('{}'));
    await expect(store.readMetadata(key(6))).rejects.toThrow(
      /metadata.json does not match the sha256 in _COMPLETE/,
    );
  });

  it('refuses file names that could escape the folder or clash with its own files', async () => {
    await expect(store.writeVersion(key(7), { '../x.json': new Uint8Array(1) }, INFO)).rejects.toThrow(
      /invalid artifact file name/,
    );
    await expect(store.writeVersion(key(7), { 'metadata.json': new Uint8Array(1) }, INFO)).rejects.toThrow(
      /reserved/,
    );
    await expect(store.writeVersion(key(7), {}, INFO)).rejects.toThrow(/no model files/);
    await expect(store.writeVersion({ ...key(7), model: '../up' }, FILES, INFO)).rejects.toThrow(
      /invalid model name/,
    );
    await expect(store.writeVersion(key(0), FILES, INFO)).rejects.toThrow(/invalid version 0/);
  });

  it('deletes a version marker first, so it is gone for readers at once', async () => {
    await store.writeVersion(key(8), FILES, INFO);
    await store.deleteVersion(key(8));
    expect(await store.hasVersion(key(8))).toBe(false);
    await expect(store.readVersion(key(8))).rejects.toThrow(/missing or incomplete/);
    await store.deleteVersion(key(8));
    expect(await store.removeIncomplete({ olderThanMs: 0 })).toEqual([]);
  });

  it('removes what interrupted writes left behind, and only that', async () => {
    await backend.plantIncomplete(key(9));
    const recent = await store.removeIncomplete({ olderThanMs: 3_600_000 });
    if (_name === 'file') {
      // The folder names its writer's pid: a writer that is gone needs no waiting.
      expect(recent).toEqual([
        expect.stringContaining(`models/IE/dc_load_mw/xgb/9.tmp-4194305@${THIS_HOST}-`),
      ]);
    } else {
      // S3 objects carry no writer: recent leftovers may belong to a write in progress.
      expect(recent).toEqual([]);
      expect(await store.removeIncomplete({ olderThanMs: 0 })).toEqual([
        expect.stringContaining('runs/prod/models/IE/dc_load_mw/xgb/9/'),
      ]);
    }
    expect(await store.removeIncomplete({ olderThanMs: 0 })).toEqual([]);
    expect(await store.listVersions({ region: 'IE', target: 'dc_load_mw', model: 'xgb' })).toEqual(
      [1, 2, 3, 4, 5, 6].map((v) => key(v)),
    );
  });

  it('clears old leftovers of the model on its next write, and never those of a write that may be at work', async () => {
    await backend.plantInProgress(key(20));
    await store.writeVersion(key(21), FILES, INFO);
    expect(await store.removeIncomplete()).toEqual([]);
    const later = await backend.laterStore(key(20));
    await later.writeVersion(key(22), FILES, INFO);
    expect(await store.removeIncomplete({ olderThanMs: 0 })).toEqual([]);
    expect(await store.hasVersion(key(20))).toBe(false);
    expect(await store.listVersions({ region: 'IE', target: 'dc_load_mw', model: 'xgb' })).toEqual(
      [1, 2, 3, 4, 5, 6, 21, 22].map((v) => key(v)),
    );
  });
});

describe('file artifact store root', () => {
  it('takes a root that is a models folder as the models folder itself', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-artifacts-'));
    try {
      const store = new FileArtifactStore(`file://${root}/models`);
      const stored = await store.writeVersion(key(1), FILES, INFO);
      expect(stored.uri).toBe(`file://${root}/models/IE/dc_load_mw/xgb/1/`);
      expect((await readdir(join(root, 'models/IE/dc_load_mw/xgb/1'))).sort()).toEqual([
        '_COMPLETE',
        'config.json',
        'metadata.json',
        'model-p50.ubj',
        'weights.f32',
      ]);
      expect(await store.listVersions()).toEqual([key(1)]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
