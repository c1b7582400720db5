/**
 * The real S3 protocol server for tests (OpenStack Swift's s3api, ../shared/tools/s3-test-server.sh):
 * reused when something answers on 127.0.0.1:9000, started otherwise (the script installs its Debian
 * packages on first use: that needs root and apt, as on CI). A lock file keeps two test workers
 * from starting it at the same time. S3_TEST_ENDPOINT points the tests at another server.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

export const S3_TEST = {
  endpoint: process.env.S3_TEST_ENDPOINT ?? 'http://127.0.0.1:9000',
  region: 'us-east-1',
  accessKeyId: process.env.S3_TEST_ACCESS_KEY ?? 'test:tester',
  secretAccessKey: process.env.S3_TEST_SECRET_KEY ?? 'testing',
};

const SCRIPT = fileURLToPath(new URL('../../../../shared/tools/s3-test-server.sh', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/healthcheck`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'dcgrid-s3-test-server.lock');
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // A lock older than the longest start (first-time apt install) is stale.
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 600_000) await rmdir(lock).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

/** Makes sure the S3 test server answers; returns its endpoint. */
export async function ensureS3TestServer(): Promise<string> {
  const url = new URL(S3_TEST.endpoint);
  const port = Number(url.port || 80);
  if (await listening(url.hostname, port)) return S3_TEST.endpoint;
  if (process.env.S3_TEST_ENDPOINT !== undefined) {
    throw new Error(`S3_TEST_ENDPOINT ${S3_TEST.endpoint} does not answer`);
  }
  return withLock(async () => {
    if (await listening(url.hostname, port)) return S3_TEST.endpoint;
    if (!existsSync(SCRIPT)) {
      throw new Error(`no S3 server on ${S3_TEST.endpoint} and no ${SCRIPT} to start one`);
    }
    await new Promise<void>((resolve, reject) => {
      // Detached: the servers it starts outlive this test process, for the next test files.
      const child = spawn('bash', [SCRIPT, 'start'], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`s3-test-server.sh start exited ${code}: ${stderr.trim()}`)),
      );
    });
    for (let i = 0; i < 50 && !(await healthy(S3_TEST.endpoint)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return S3_TEST.endpoint;
  });
}

export function testS3Client(endpoint = S3_TEST.endpoint): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: S3_TEST.region,
    credentials: { accessKeyId: S3_TEST.accessKeyId, secretAccessKey: S3_TEST.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A fresh, uniquely named bucket; `dispose` empties and deletes it. */
export async function createTestBucket(
  prefix = 'dcgrid-test',
): Promise<{ bucket: string; dispose(): Promise<void> }> {
  const endpoint = await ensureS3TestServer();
  const client = testS3Client(endpoint);
  const bucket = `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    bucket,
    async dispose() {
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (page.Contents ?? []).map((o) => o.Key!).filter(Boolean);
        if (keys.length === 0) break;
        for (const key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    },
  };
}
