/** The embedded tracking backend: experiments and runs in the database (tables of 0003_mlops). */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { retryWhileDisconnected } from '../../store/connection-loss.js';
import type { Store } from '../../store/store.js';
import { currentProcess, type ProcessIdentity } from '../process-identity.js';
import { newRunId } from '../run-id.js';
import {
  paramText,
  type ArtifactIndexEntry,
  type Experiment,
  type MetricPoint,
  type ParamValue,
  type RunHandle,
  type StartRunOptions,
  type TerminalRunStatus,
  type Tracker,
} from '../tracker.js';
import { checkMetricPoints, checkTagKey } from '../validate.js';

/** Rows per INSERT: a long training curve goes in a few statements, not one per point. */
const INSERT_CHUNK = 1000;

export class EmbeddedTracker implements Tracker {
  readonly backend = 'embedded';

  constructor(
    private readonly store: Store,
    private readonly identity: ProcessIdentity = currentProcess(),
  ) {}

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    if (name.trim() === '') throw new DcgridError(ErrorCodes.TRACKING, 'experiment name is empty');
    await this.store.db
      .insertInto('dcgrid.experiments')
      .values({ name })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.store.db
      .selectFrom('dcgrid.experiments')
      .select(['experiment_id', 'name'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return { id: String(row.experiment_id), name: row.name };
  }

  async startRun(options: StartRunOptions): Promise<EmbeddedRun> {
    const experiment = await this.getOrCreateExperiment(options.experiment);
    const runId = newRunId();
    const tags = Object.entries(options.tags ?? {});
    for (const [key] of tags) checkTagKey(key);
    await this.store.transaction(async (tx) => {
      await tx.db
        .insertInto('dcgrid.runs')
        .values({
          run_id: runId,
          experiment_id: Number(experiment.id),
          name: options.name,
          status: 'RUNNING',
          start_time: new Date(),
          pid: this.identity.pid,
          pid_start: this.identity.start ?? null,
          host: this.identity.host,
        })
        .execute();
      if (tags.length > 0) {
        await tx.db
          .insertInto('dcgrid.run_tags')
          .values(tags.map(([key, value]) => ({ run_id: runId, key, value })))
          .execute();
      }
    });
    return new EmbeddedRun(this.store, runId, experiment.id, options.name);
  }

  /** Records the MLflow experiment an embedded experiment is mirrored to. */
  async setMlflowExperimentId(experimentId: string, mlflowExperimentId: string): Promise<void> {
    await this.store.db
      .updateTable('dcgrid.experiments')
      .set({ mlflow_experiment_id: mlflowExperimentId })
      .where('experiment_id', '=', Number(experimentId))
      .execute();
  }
}

export class EmbeddedRun implements RunHandle {
  #ended = false;

  constructor(
    private readonly store: Store,
    readonly runId: string,
    readonly experimentId: string,
    readonly name: string,
  ) {}

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    this.#checkActive();
    const entries = Object.entries(params).map(([key, value]) => ({ key, value: paramText(value) }));
    if (entries.length === 0) return;
    for (const { key } of entries) checkTagKey(key);
    await this.store.transaction(async (tx) => {
      const existing = await tx.db
        .selectFrom('dcgrid.run_params')
        .select(['key', 'value'])
        .where('run_id', '=', this.runId)
        .where(
          'key',
          'in',
          entries.map((e) => e.key),
        )
        .execute();
      const known = new Map(existing.map((row) => [row.key, row.value]));
      for (const { key, value } of entries) {
        const before = known.get(key);
        if (before !== undefined && before !== value) {
          throw new DcgridError(
            ErrorCodes.TRACKING,
            `run ${this.runId}: param "${key}" was logged as "${before}"; params are set once (new value "${value}")`,
          );
        }
      }
      const fresh = entries.filter((e) => !known.has(e.key));
      if (fresh.length > 0) {
        await tx.db
          .insertInto('dcgrid.run_params')
          .values(fresh.map(({ key, value }) => ({ run_id: this.runId, key, value })))
          .execute();
      }
    });
  }

  async logMetrics(points: readonly MetricPoint[]): Promise<void> {
    this.#checkActive();
    checkMetricPoints(points);
    for (let start = 0; start < points.length; start += INSERT_CHUNK) {
      const rows = points.slice(start, start + INSERT_CHUNK).map((p) => ({
        run_id: this.runId,
        key: p.key,
        value: p.value,
        step: p.step,
        timestamp: new Date(p.timestamp),
      }));
      await this.store.db
        .insertInto('dcgrid.run_metrics')
        .values(rows)
        .onConflict((oc) => oc.columns(['run_id', 'key', 'step', 'timestamp', 'value']).doNothing())
        .execute();
    }
  }

  async setTag(key: string, value: string): Promise<void> {
    this.#checkActive();
    checkTagKey(key);
    await this.store.db
      .insertInto('dcgrid.run_tags')
      .values({ run_id: this.runId, key, value })
      .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
      .execute();
  }

  async logArtifacts(entries: readonly ArtifactIndexEntry[]): Promise<void> {
    this.#checkActive();
    if (entries.length === 0) return;
    await this.store.db
      .insertInto('dcgrid.run_artifacts')
      .values(
        entries.map((e) => ({
          run_id: this.runId,
          path: e.path,
          uri: e.uri,
          size_bytes: e.sizeBytes,
          sha256: e.sha256,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['run_id', 'path']).doUpdateSet((eb) => ({
          uri: eb.ref('excluded.uri'),
          size_bytes: eb.ref('excluded.size_bytes'),
          sha256: eb.ref('excluded.sha256'),
        })),
      )
      .execute();
  }

  async end(status: TerminalRunStatus, error?: string): Promise<void> {
    if (this.#ended) throw new DcgridError(ErrorCodes.TRACKING, `run ${this.runId} has ended already`);
    this.#ended = true;
    // After a lost connection (a server restart), the run's end is retried until the server is
    // back, briefly, so that it does not stay RUNNING until the next orphan sweep.
    const result = await retryWhileDisconnected(() =>
      this.store.db
        .updateTable('dcgrid.runs')
        .set({ status, end_time: new Date(), error: status === 'FINISHED' ? null : (error ?? null) })
        .where('run_id', '=', this.runId)
        .where('status', 'in', ['RUNNING', 'SCHEDULED'])
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) {
      const row = await this.store.db
        .selectFrom('dcgrid.runs')
        .select(['status', 'error'])
        .where('run_id', '=', this.runId)
        .executeTakeFirst();
      throw new DcgridError(
        ErrorCodes.TRACKING,
        row === undefined
          ? `run ${this.runId} does not exist`
          : `run ${this.runId} was already ${row.status}${row.error ? ` (${row.error})` : ''}; cannot mark it ${status}`,
      );
    }
  }

  /** Records the MLflow run this run is mirrored to. */
  async setMlflowRunId(mlflowRunId: string): Promise<void> {
    await this.store.db
      .updateTable('dcgrid.runs')
      .set({ mlflow_run_id: mlflowRunId })
      .where('run_id', '=', this.runId)
      .execute();
  }

  #checkActive(): void {
    if (this.#ended)
      throw new DcgridError(ErrorCodes.TRACKING, `run ${this.runId} has ended; nothing more can be logged`);
  }
}
