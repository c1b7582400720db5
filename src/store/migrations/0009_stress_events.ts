import { sql, type Kysely } from 'kysely';

/**
 * Stress events (docs/FEATURES.md, "Stress events"): the three labels and their union as boolean
 * feature columns, and the event probability a classifier forecasts for each hour beside the
 * quantiles of dcgrid.forecasts. Stored rows get their labels on the next ingest or
 * `dcgrid features rebuild-stress`.
 */
export const STRESS_EVENT_COLUMNS = [
  'event_tight',
  'event_snsp',
  'event_price_spike',
  'stress_event',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const add = sql.join(STRESS_EVENT_COLUMNS.map((c) => sql`ADD COLUMN ${sql.ref(c)} boolean`));
  await sql`ALTER TABLE dcgrid.features_hourly ${add}`.execute(db);
  await sql`ALTER TABLE dcgrid.forecasts ADD COLUMN probability double precision`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dcgrid.forecasts DROP COLUMN probability`.execute(db);
  const drop = sql.join(STRESS_EVENT_COLUMNS.map((c) => sql`DROP COLUMN ${sql.ref(c)}`));
  await sql`ALTER TABLE dcgrid.features_hourly ${drop}`.execute(db);
}
