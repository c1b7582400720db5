import { sql, type Kysely } from 'kysely';

/**
 * The stress score's components, one column each (docs/FEATURES.md, "stress_score"), so that the
 * API and dashboards can say why an hour is stressed and `dcgrid features rebuild-stress` can
 * recompute them in place.
 */
export const STRESS_COMPONENT_COLUMNS = [
  'stress_net_load',
  'stress_renewables',
  'stress_price',
  'stress_interconnector',
  'stress_snsp',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const add = sql.join(STRESS_COMPONENT_COLUMNS.map((c) => sql`ADD COLUMN ${sql.ref(c)} double precision`));
  await sql`ALTER TABLE dcgrid.features_hourly ${add}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const drop = sql.join(STRESS_COMPONENT_COLUMNS.map((c) => sql`DROP COLUMN ${sql.ref(c)}`));
  await sql`ALTER TABLE dcgrid.features_hourly ${drop}`.execute(db);
}
