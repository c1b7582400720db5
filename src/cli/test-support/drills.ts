/**
 * What the fault drills share: the state of a store reduced to comparable digests, the runs and
 * champions that must survive a fault, and a kill -9 at a seeded random point of a command.
 *
 * A kill point is "after the k-th line the command writes to stderr (its progress lines), then d
 * ms": k and d are drawn from a seeded generator (DRILL_SEED, logged), so a failing drill can be
 * replayed with the same seed. Where exactly the process is when the signal lands still depends on
 * the machine's speed; the assertions hold whatever it is.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { seededRandom } from '../../sources/demo/synthetic.js';
import { connectPglite } from '../../store/pglite/connect.js';
import { connectPostgres } from '../../store/postgres/connect.js';
import type { Store } from '../../store/store.js';
import { spawnCli, type CliExit } from './spawn-cli.js';

export const DRILL_SEED = Number(process.env.DRILL_SEED ?? 20261203);

export function drillRandom(name: string): () => number {
  let hash = DRILL_SEED >>> 0;
  for (const ch of name) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return seededRandom(hash);
}

/** Where a drill's data live: a PostgreSQL URL, or a DCGRID_HOME with the embedded database. */
export type DrillTarget = { kind: 'postgres'; url: string; home: string } | { kind: 'pglite'; home: string };

export function targetEnv(target: DrillTarget): Record<string, string> {
  return target.kind === 'postgres'
    ? { DATABASE_URL: target.url, DCGRID_HOME: target.home }
    : { DCGRID_HOME: target.home };
}

/** Opens the target's store in this process (the embedded one only while no command holds it). */
export async function withStore<T>(target: DrillTarget, fn: (store: Store) => Promise<T>): Promise<T> {
  const store =
    target.kind === 'postgres'
      ? await connectPostgres(target.url)
      : await connectPglite({ dataDir: join(target.home, 'db'), owner: 'drill check' });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export interface DataState {
  observations: number;
  observationsDigest: string;
  features: number;
  featuresDigest: string;
  cso: number;
  csoDigest: string;
}

/**
 * Every stored reading, feature hour and CSO figure, as counts and md5 digests (load times left
 * out, times as epoch seconds so that the digests agree across backends and session time zones).
 */
export async function dataState(store: Store): Promise<DataState> {
  const { rows } = await sql<{
    observations: number;
    observations_digest: string;
    features: number;
    features_digest: string;
    cso: number;
    cso_digest: string;
  }>`
    SELECT
      (SELECT count(*)::int FROM dcgrid.observations) AS observations,
      (SELECT md5(coalesce(string_agg((to_jsonb(o) - 'ingested_at' || jsonb_build_object('ts_utc', extract(epoch FROM o.ts_utc)))::text, '|'
         ORDER BY source, series, region, ts_utc), '')) FROM dcgrid.observations o) AS observations_digest,
      (SELECT count(*)::int FROM dcgrid.features_hourly) AS features,
      (SELECT md5(coalesce(string_agg((to_jsonb(f) - 'updated_at' || jsonb_build_object('ts_utc', extract(epoch FROM f.ts_utc)))::text, '|' ORDER BY region, ts_utc), ''))
         FROM dcgrid.features_hourly f) AS features_digest,
      (SELECT count(*)::int FROM dcgrid.cso_figures) AS cso,
      (SELECT md5(coalesce(string_agg((to_jsonb(c) - 'ingested_at')::text, '|' ORDER BY to_jsonb(c)::text), ''))
         FROM dcgrid.cso_figures c) AS cso_digest`.execute(store.db);
  const row = rows[0]!;
  return {
    observations: row.observations,
    observationsDigest: row.observations_digest,
    features: row.features,
    featuresDigest: row.features_digest,
    cso: row.cso,
    csoDigest: row.cso_digest,
  };
}

/** The champion of IE/demand_mw as "model vN", or null. */
export async function champion(store: Store, target = 'demand_mw'): Promise<string | null> {
  const row = await store.db
    .selectFrom('dcgrid.models')
    .select(['model', 'version'])
    .where('region', '=', 'IE')
    .where('target', '=', target)
    .where('alias', '=', 'champion')
    .executeTakeFirst();
  return row === undefined ? null : `${row.model} v${row.version}`;
}

/**
 * How the champion of IE/`target` came to be: "model vN" and the status of the run that trained
 * it. A killed command may leave a new champion only if it came from a run that FINISHED (a
 * pipeline's train step commits its model before the pipeline's later steps).
 */
export async function championWithRun(
  store: Store,
  target = 'demand_mw',
): Promise<{ champion: string; runStatus: string | null } | null> {
  const row = await store.db
    .selectFrom('dcgrid.models as m')
    .leftJoin('dcgrid.runs as r', 'r.run_id', 'm.run_id')
    .select(['m.model', 'm.version', 'r.status'])
    .where('m.region', '=', 'IE')
    .where('m.target', '=', target)
    .where('m.alias', '=', 'champion')
    .executeTakeFirst();
  return row === undefined ? null : { champion: `${row.model} v${row.version}`, runStatus: row.status };
}

export async function runningRuns(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('dcgrid.runs')
    .select(['run_id', 'name'])
    .where('status', '=', 'RUNNING')
    .execute();
  return rows.map((r) => `${r.name} ${r.run_id}`);
}

export interface KillOutcome {
  /** False when the command ended on its own before the kill point. */
  killed: boolean;
  point: { afterLine: number; delayMs: number };
  exit: CliExit;
}

/**
 * Runs `dcgrid <args>` and kills it (SIGKILL) after a seeded random number of its stderr lines
 * (1..`lines`, the count an uninterrupted run writes) plus a random 0-250 ms.
 */
export async function killAtRandomPoint(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  lines: number,
): Promise<KillOutcome> {
  const random = drillRandom(name);
  const afterLine = 1 + Math.floor(random() * Math.max(1, lines));
  const delayMs = Math.floor(random() * 250);
  const point = { afterLine, delayMs };
  const cli = spawnCli(args, env);
  let killed = false;
  const reached = cli
    .waitFor(({ stderr }) => stderr.split('\n').length - 1 >= afterLine)
    .then(
      () => true,
      () => false,
    );
  if (await reached) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    killed = cli.child.exitCode === null && cli.child.signalCode === null && cli.child.kill('SIGKILL');
  }
  const exit = await cli.exited;
  killed = killed && exit.signal === 'SIGKILL';
  console.info(
    `drill ${name} (DRILL_SEED=${DRILL_SEED}): kill -9 after stderr line ${afterLine} + ${delayMs} ms: ` +
      (killed ? 'killed' : `ended on its own first (exit ${exit.code})`),
  );
  return { killed, point, exit };
}

/** Number of lines an uninterrupted command wrote to stderr. */
export function lineCount(exit: CliExit): number {
  return exit.stderr.split('\n').length - 1;
}
