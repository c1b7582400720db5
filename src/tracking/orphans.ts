/**
 * Runs whose process died without ending them (kill -9, a crash, a power cut) stay RUNNING. At the
 * next start, the runs of this host whose process is gone are marked FAILED ("process N died"), and
 * their MLflow mirror too when a client is given. Runs of other hosts are left alone: their
 * processes cannot be checked from here.
 */
import { hostname } from 'node:os';
import type { Store } from '../store/store.js';
import type { MlflowClient } from './mlflow/client.js';
import { isProcessAlive } from './process-identity.js';

export interface OrphanedRun {
  runId: string;
  name: string;
  pid: number | null;
  mlflowRunId: string | null;
  /** Set when the MLflow mirror could not be updated. */
  mirrorProblem?: string;
}

export interface SweepOptions {
  host?: string;
  isAlive?: (pid: number, start: string | null) => boolean;
  mlflow?: MlflowClient;
}

export async function markOrphanedRuns(store: Store, options: SweepOptions = {}): Promise<OrphanedRun[]> {
  const host = options.host ?? hostname();
  const isAlive = options.isAlive ?? isProcessAlive;
  const running = await store.db
    .selectFrom('dcgrid.runs')
    .select(['run_id', 'name', 'pid', 'pid_start', 'mlflow_run_id'])
    .where('status', '=', 'RUNNING')
    .where('host', '=', host)
    .execute();
  const orphans: OrphanedRun[] = [];
  for (const run of running) {
    if (run.pid !== null && isAlive(run.pid, run.pid_start)) continue;
    const error =
      run.pid === null ? 'the process that ran it is unknown and gone' : `process ${run.pid} died`;
    const updated = await store.db
      .updateTable('dcgrid.runs')
      .set({ status: 'FAILED', end_time: new Date(), error })
      .where('run_id', '=', run.run_id)
      .where('status', '=', 'RUNNING')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) continue;
    const orphan: OrphanedRun = {
      runId: run.run_id,
      name: run.name,
      pid: run.pid,
      mlflowRunId: run.mlflow_run_id,
    };
    if (options.mlflow !== undefined && run.mlflow_run_id !== null) {
      try {
        await options.mlflow.setTag(run.mlflow_run_id, 'dcgrid.error', error);
        await options.mlflow.updateRun({ runId: run.mlflow_run_id, status: 'FAILED', endTime: Date.now() });
      } catch (problem) {
        orphan.mirrorProblem = problem instanceof Error ? problem.message : String(problem);
      }
    }
    orphans.push(orphan);
  }
  return orphans;
}
