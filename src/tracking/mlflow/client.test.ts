import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocally } from '../../lib/test-support/local-server.js';
import { MlflowStandIn } from '../test-support/mlflow-server.js';
import { MlflowClient } from './client.js';
import { LOG_BATCH_LIMITS } from './limits.js';
import { responses } from './messages.js';
import { isMlflowError, type MlflowError } from './transport.js';

const fast = { retries: 2, backoffMs: 5, timeoutMs: 2_000 };

async function rejection(promise: Promise<unknown>): Promise<MlflowError> {
  try {
    await promise;
  } catch (error) {
    if (isMlflowError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

// What MLflow answers is checked against real servers in contract.test.ts; here, what only the
// stand-in can show: the requests sent, retries, failures and a server that is not there.
describe('MLflow client against the stand-in server', () => {
  let server: MlflowStandIn;
  let client: MlflowClient;
  beforeAll(async () => {
    server = await MlflowStandIn.start();
    client = new MlflowClient({ trackingUri: server.url, ...fast });
  });
  afterAll(() => server?.close());

  it('gets an experiment by name, creating it once', async () => {
    expect(await client.getExperimentByName('dcgrid-IE')).toBeUndefined();
    const created = await client.getOrCreateExperiment('dcgrid-IE');
    const again = await client.getOrCreateExperiment('dcgrid-IE');
    expect(again.experiment_id).toBe(created.experiment_id);
    expect(server.count('POST', '/experiments/create')).toBe(1);
  });

  it("splits a large log-batch into requests within MLflow's limits and keeps params immutable", async () => {
    const experiment = await client.getOrCreateExperiment('dcgrid-IE');
    const run = await client.createRun({
      experimentId: experiment.experiment_id,
      runName: 'big',
      startTime: 1,
    });
    const runId = run.info.run_id;
    const before = server.count('POST', '/runs/log-batch');
    const metrics = Array.from({ length: 2_500 }, (_, step) => ({
      key: 'loss',
      value: 1 / (step + 1),
      timestamp: 10 + step,
      step,
    }));
    const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 120 }, (_, i) => ({ key: `t${i}`, value: 'x' }));
    await client.logBatch(runId, { metrics, params, tags });
    const batches = server.requests.filter((r) => r.path === '/runs/log-batch').slice(before);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const { body } of batches) {
      const b = body as { metrics: unknown[]; params: unknown[]; tags: unknown[] };
      expect(b.metrics.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.metrics);
      expect(b.params.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.params);
      expect(b.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.tags);
      expect(b.metrics.length + b.params.length + b.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.total);
    }
    const stored = server.run(runId)!;
    expect(stored.metrics).toHaveLength(2_500);
    expect(stored.metrics.map((m) => m.step)).toEqual(metrics.map((m) => m.step));
    expect(stored.params).toHaveLength(150);

    const changed = await rejection(client.logBatch(runId, { params: [{ key: 'p1', value: 'other' }] }));
    expect(changed.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    expect(changed.message).toContain('Changing param values is not allowed');
    // The limits are the server's too: one oversized request is refused.
    const oversized = await rejection(
      client.transport.call(
        'POST',
        '/runs/log-batch',
        { run_id: runId, params: params.slice(0, 101) },
        responses.empty,
      ),
    );
    expect(oversized.message).toContain('at most 100 params');
  });

  it('uploads and downloads run artifacts through the artifact proxy', async () => {
    const experiment = await client.getOrCreateExperiment('dcgrid-IE');
    const run = await client.createRun({
      experimentId: experiment.experiment_id,
      runName: 'art',
      startTime: 1,
    });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await client.uploadRunArtifact(run.info.artifact_uri, 'model/model p10.ubj', bytes);
    expect([...server.artifacts.keys()]).toContain(
      `${experiment.experiment_id}/${run.info.run_id}/artifacts/model/model p10.ubj`,
    );
    expect(await client.downloadRunArtifact(run.info.artifact_uri, 'model/model p10.ubj')).toEqual(bytes);
    const notProxied = await rejection(client.uploadRunArtifact('s3://bucket/x', 'a.json', bytes));
    expect(notProxied.mlflowCode).toBe('ARTIFACTS_NOT_PROXIED');
  });

  it('retries a 503 and goes on when the server recovers', async () => {
    const before = server.count('GET', '/experiments/get-by-name');
    server.failNext(2);
    const experiment = await client.getExperimentByName('dcgrid-IE');
    expect(experiment?.name).toBe('dcgrid-IE');
    // The two failed attempts are not recorded by the stand-in; the third one is.
    expect(server.count('GET', '/experiments/get-by-name')).toBe(before + 1);
  });

  it('gives up after the retries with the last status in the message', async () => {
    server.failNext(3);
    const error = await rejection(client.getExperimentByName('dcgrid-IE'));
    expect(error.mlflowCode).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.httpStatus).toBe(503);
  });

  it('does not retry client errors', async () => {
    server.failNext(1, 400, 'INVALID_PARAMETER_VALUE');
    const error = await rejection(client.getExperimentByName('dcgrid-IE'));
    expect(error.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    expect(await client.getExperimentByName('dcgrid-IE')).toBeDefined();
  });

  it('reports an endpoint the server does not have', async () => {
    const error = await rejection(client.transport.call('GET', '/no/such/endpoint', {}, responses.empty));
    expect(error.mlflowCode).toBe('HTTP_404');
  });
});

describe('MLflow client when the server is not there or hangs', () => {
  it('names the server it could not reach', async () => {
    const standIn = await MlflowStandIn.start();
    const url = standIn.url;
    await standIn.close();
    const client = new MlflowClient({ trackingUri: url, ...fast });
    const error = await rejection(client.getOrCreateExperiment('dcgrid-IE'));
    expect(error.code).toBe('E_TRACKING');
    expect(error.mlflowCode).toBe('UNREACHABLE');
    expect(error.message).toMatch(
      new RegExp(`MLflow at ${url} is unreachable: .*ECONNREFUSED.*after 3 attempt`),
    );
  });

  it('times out an attempt that gets no answer', async () => {
    const silent = createServer(() => undefined);
    const origin = await listenLocally(silent);
    try {
      const client = new MlflowClient({
        trackingUri: origin,
        retries: 1,
        backoffMs: 1,
        timeoutMs: 200,
      });
      const error = await rejection(client.getExperimentByName('x'));
      expect(error.message).toContain('no answer within 200 ms (after 2 attempt(s))');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("says why a port on fetch's bad-ports list cannot be reached", async () => {
    const client = new MlflowClient({ trackingUri: 'http://127.0.0.1:5061', retries: 0 });
    const error = await rejection(client.getExperimentByName('x'));
    expect(error.message).toContain('fetch refuses this port (WHATWG bad-ports list)');
  });

  it('refuses a tracking URI that is not http(s)', () => {
    expect(() => new MlflowClient({ trackingUri: 'file:///tmp/mlruns' })).toThrow(/must be http/);
  });

  it('sends user:password from the URI as basic auth and keeps them out of messages', async () => {
    let seen: string | undefined;
    const server = createServer((req, res) => {
      seen = req.headers.authorization;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = new MlflowClient({ trackingUri: `http://ann:s%40cret@127.0.0.1:${port}/` });
      expect(client.server).toBe(`MLflow at http://127.0.0.1:${port}`);
      expect(await client.getExperimentByName('x')).toBeUndefined();
      expect(seen).toBe(`Basic ${Buffer.from('ann:s@cret').toString('base64')}`);
    } finally {
      server.close();
    }
  });
});

describe('MLflow messages', () => {
  it('accepts int64 fields as numbers or decimal strings (protobuf JSON mapping)', () => {
    const info = {
      run_id: 'a',
      experiment_id: '1',
      status: 'FINISHED',
      start_time: '1700000000000',
      end_time: 1700000000001,
    };
    const parsed = responses.updateRun.parse({ run_info: info });
    expect(parsed.run_info.start_time).toBe(1_700_000_000_000);
    expect(parsed.run_info.end_time).toBe(1_700_000_000_001);
    expect(() => responses.updateRun.parse({ run_info: { ...info, status: 'DONE' } })).toThrow();
  });
});
