/**
 * The embedded tracker with an MLflow mirror (used when MLFLOW_TRACKING_URI is http(s)): the
 * database stays the record that the registry and the orphan sweep rely on; every call is repeated
 * on MLflow, and a failure there fails the call, so a run cannot quietly drift from its mirror.
 * The MLflow run carries the tag `dcgrid.run_id`; the database row keeps `mlflow_run_id`.
 */
import { errorMessage } from './error-message.js';
import type { EmbeddedRun, EmbeddedTracker } from './embedded/tracker.js';
import type { MlflowRunHandle, MlflowTracker } from './mlflow/tracker.js';
import type {
  ArtifactIndexEntry,
  Experiment,
  MetricPoint,
  ParamValue,
  RunHandle,
  StartRunOptions,
  TerminalRunStatus,
  Tracker,
} from './tracker.js';

export class MirroredTracker implements Tracker {
  readonly backend = 'embedded+mlflow';

  constructor(
    readonly primary: EmbeddedTracker,
    readonly mirror: MlflowTracker,
  ) {}

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    const experiment = await this.primary.getOrCreateExperiment(name);
    const mirrored = await this.mirror.getOrCreateExperiment(name);
    await this.primary.setMlflowExperimentId(experiment.id, mirrored.id);
    return experiment;
  }

  async startRun(options: StartRunOptions): Promise<MirroredRun> {
    const run = await this.primary.startRun(options);
    let mirrored: MlflowRunHandle;
    try {
      mirrored = await this.mirror.startRun({
        ...options,
        tags: { ...options.tags, 'dcgrid.run_id': run.runId },
      });
      await run.setMlflowRunId(mirrored.runId);
      await this.primary.setMlflowExperimentId(run.experimentId, mirrored.experimentId);
    } catch (error) {
      await run.end('FAILED', `could not start the MLflow run: ${errorMessage(error)}`);
      throw error;
    }
    return new MirroredRun(run, mirrored);
  }
}

export class MirroredRun implements RunHandle {
  constructor(
    readonly primary: EmbeddedRun,
    readonly mirror: MlflowRunHandle,
  ) {}

  get runId(): string {
    return this.primary.runId;
  }
  get experimentId(): string {
    return this.primary.experimentId;
  }
  get name(): string {
    return this.primary.name;
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    await this.primary.logParams(params);
    await this.mirror.logParams(params);
  }

  async logMetrics(points: readonly MetricPoint[]): Promise<void> {
    await this.primary.logMetrics(points);
    await this.mirror.logMetrics(points);
  }

  async setTag(key: string, value: string): Promise<void> {
    await this.primary.setTag(key, value);
    await this.mirror.setTag(key, value);
  }

  async logArtifacts(entries: readonly ArtifactIndexEntry[]): Promise<void> {
    await this.primary.logArtifacts(entries);
    await this.mirror.logArtifacts(entries);
  }

  /**
   * FINISHED is confirmed by MLflow first: if MLflow cannot be told, the run is FAILED here too, with
   * the reason. FAILED / KILLED always land in the database; an MLflow failure is added to the error.
   */
  async end(status: TerminalRunStatus, error?: string): Promise<void> {
    let mirrorProblem: unknown;
    try {
      await this.mirror.end(status, error);
    } catch (problem) {
      mirrorProblem = problem;
    }
    if (mirrorProblem === undefined) {
      await this.primary.end(status, error);
      return;
    }
    const note = `MLflow run ${this.mirror.runId} not updated: ${errorMessage(mirrorProblem)}`;
    if (status === 'FINISHED') {
      await this.primary.end('FAILED', note);
      throw mirrorProblem;
    }
    await this.primary.end(status, error === undefined ? note : `${error}; ${note}`);
  }
}
