/** Reading runs back from the embedded tables (for the CLI, the pipeline's reports and tests). */
import type { Store } from '../../store/store.js';
import type { MetricPoint, RunStatus } from '../tracker.js';

export interface RunRecord {
  runId: string;
  experiment: string;
  name: string;
  status: RunStatus;
  startTime: Date;
  endTime: Date | null;
  error: string | null;
  pid: number | null;
  host: string | null;
  mlflowRunId: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export async function getRun(store: Store, runId: string): Promise<RunRecord | undefined> {
  const row = await store.db
    .selectFrom('dcgrid.runs as r')
    .innerJoin('dcgrid.experiments as e', 'e.experiment_id', 'r.experiment_id')
    .select([
      'r.run_id',
      'e.name as experiment',
      'r.name',
      'r.status',
      'r.start_time',
      'r.end_time',
      'r.error',
      'r.pid',
      'r.host',
      'r.mlflow_run_id',
    ])
    .where('r.run_id', '=', runId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const [params, tags] = await Promise.all([
    store.db.selectFrom('dcgrid.run_params').select(['key', 'value']).where('run_id', '=', runId).execute(),
    store.db.selectFrom('dcgrid.run_tags').select(['key', 'value']).where('run_id', '=', runId).execute(),
  ]);
  return {
    runId: row.run_id,
    experiment: row.experiment,
    name: row.name,
    status: row.status,
    startTime: row.start_time,
    endTime: row.end_time,
    error: row.error,
    pid: row.pid,
    host: row.host,
    mlflowRunId: row.mlflow_run_id,
    params: Object.fromEntries(params.map((p) => [p.key, p.value])),
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
  };
}

/** Every logged value of one metric, by step then time. */
export async function getMetricHistory(store: Store, runId: string, key: string): Promise<MetricPoint[]> {
  const rows = await store.db
    .selectFrom('dcgrid.run_metrics')
    .select(['key', 'value', 'step', 'timestamp'])
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .execute();
  return rows.map((r) => ({
    key: r.key,
    value: r.value,
    step: Number(r.step),
    timestamp: r.timestamp.getTime(),
  }));
}
