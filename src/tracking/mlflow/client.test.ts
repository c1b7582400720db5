import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
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

  it("turns MLflow's error body into a DcgridError E_TRACKING that keeps MLflow's code", async () => {
    const duplicate = await rejection(client.createExperiment('dcgrid-IE'));
    expect(duplicate.code).toBe('E_TRACKING');
    expect(isDcgridError(duplicate, 'E_TRACKING')).toBe(true);
    expect(duplicate.mlflowCode).toBe('RESOURCE_ALREADY_EXISTS');
    expect(duplicate.httpStatus).toBe(400);
    expect(duplicate.message).toContain(`MLflow at ${server.url}`);
    expect(duplicate.message).toContain('Experiment(name=dcgrid-IE) already exists');

    const missingName = await rejection(client.createExperiment(''));
    expect(missingName.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    expect(missingName.message).toContain("Missing value for required parameter 'name'");

    const missingRun = await rejection(client.getRun('0'.repeat(32)));
    expect(missingRun.mlflowCode).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(missingRun.httpStatus).toBe(404);
  });

  it('creates, updates and reads back a run', async () => {
    const experiment = await client.getOrCreateExperiment('dcgrid-NI');
    const run = await client.createRun({
      experimentId: experiment.experiment_id,
      runName: 'train',
      startTime: 1_700_000_000_000,
      tags: { model: 'xgb' },
    });
    expect(run.info.status).toBe('RUNNING');
    expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.artifact_uri).toBe(
      `mlflow-artifacts:/${experiment.experiment_id}/${run.info.run_id}/artifacts`,
    );
    const info = await client.updateRun({
      runId: run.info.run_id,
      status: 'FINISHED',
      endTime: 1_700_000_100_000,
    });
    expect(info).toMatchObject({
      status: 'FINISHED',
      end_time: 1_700_000_100_000,
      start_time: 1_700_000_000_000,
    });
    const back = await client.getRun(run.info.run_id);
    expect(back.data.tags).toContainEqual({ key: 'model', value: 'xgb' });
    const badStatus = await rejection(
      client.transport.call(
        'POST',
        '/runs/update',
        { run_id: run.info.run_id, status: 'DONE' },
        responses.updateRun,
      ),
    );
    expect(badStatus.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
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

  it('follows next_page_token through every page of a run search', async () => {
    const experiment = await client.getOrCreateExperiment('dcgrid-ALL');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const run = await client.createRun({
        experimentId: experiment.experiment_id,
        runName: `r${i}`,
        startTime: 1_000 + i,
        tags: { batch: i % 2 === 0 ? 'even' : 'odd' },
      });
      ids.push(run.info.run_id);
    }
    const first = await client.searchRuns({ experimentIds: [experiment.experiment_id], maxResults: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextPageToken).toBeDefined();
    const all = await client.searchAllRuns({ experimentIds: [experiment.experiment_id], maxResults: 3 });
    expect(all.map((r) => r.info.run_id).sort()).toEqual([...ids].sort());
    expect(all[0]!.info.run_name).toBe('r6'); // newest first
    const even = await client.searchAllRuns({
      experimentIds: [experiment.experiment_id],
      filter: "tags.batch = 'even'",
      maxResults: 2,
    });
    expect(even).toHaveLength(4);
    const badToken = await rejection(
      client.searchRuns({ experimentIds: [experiment.experiment_id], pageToken: '%%%' }),
    );
    expect(badToken.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
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

  it('registers models and versions and moves aliases', async () => {
    expect(await client.getRegisteredModel('dcgrid-IE-dc_load_mw')).toBeUndefined();
    await client.getOrCreateRegisteredModel('dcgrid-IE-dc_load_mw', { description: 'IE data-centre load' });
    await client.getOrCreateRegisteredModel('dcgrid-IE-dc_load_mw');
    const duplicate = await rejection(client.createRegisteredModel('dcgrid-IE-dc_load_mw'));
    expect(duplicate.mlflowCode).toBe('RESOURCE_ALREADY_EXISTS');

    const v1 = await client.createModelVersion({
      name: 'dcgrid-IE-dc_load_mw',
      source: 's3://b/models/IE/x/1',
      tags: { model: 'xgb' },
    });
    const v2 = await client.createModelVersion({
      name: 'dcgrid-IE-dc_load_mw',
      source: 's3://b/models/IE/x/2',
    });
    expect([v1.version, v2.version]).toEqual(['1', '2']);
    expect(await client.getModelVersion('dcgrid-IE-dc_load_mw', '1')).toMatchObject({
      source: 's3://b/models/IE/x/1',
    });
    expect(await client.getModelVersion('dcgrid-IE-dc_load_mw', '9')).toBeUndefined();
    const noModel = await rejection(client.createModelVersion({ name: 'nope', source: 's3://x' }));
    expect(noModel.mlflowCode).toBe('RESOURCE_DOES_NOT_EXIST');

    await client.setAlias('dcgrid-IE-dc_load_mw', 'champion', '1');
    await client.setAlias('dcgrid-IE-dc_load_mw', 'champion', '2');
    expect((await client.getModelVersionByAlias('dcgrid-IE-dc_load_mw', 'champion'))?.version).toBe('2');
    await client.deleteAlias('dcgrid-IE-dc_load_mw', 'champion');
    await client.deleteAlias('dcgrid-IE-dc_load_mw', 'champion');
    expect(await client.getModelVersionByAlias('dcgrid-IE-dc_load_mw', 'champion')).toBeUndefined();
    const reserved = await rejection(client.setAlias('dcgrid-IE-dc_load_mw', 'latest', '1'));
    expect(reserved.mlflowCode).toBe('INVALID_PARAMETER_VALUE');

    for (let i = 0; i < 3; i++)
      await client.createModelVersion({ name: 'dcgrid-IE-dc_load_mw', source: `s3://b/${i}` });
    const page = await client.searchModelVersions({ filter: "name='dcgrid-IE-dc_load_mw'", maxResults: 2 });
    expect(page.items.map((v) => v.version)).toEqual(['5', '4']);
    const all = await client.searchAllModelVersions({ filter: "name='dcgrid-IE-dc_load_mw'", maxResults: 2 });
    expect(all.map((v) => v.version)).toEqual(['5', '4', '3', '2', '1']);
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
