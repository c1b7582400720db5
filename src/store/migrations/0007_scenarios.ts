import { sql, type Kysely } from 'kysely';

/** Capacity-planning studies with their results, so a study can be reopened and compared later. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dcgrid.scenario_studies (
      id serial PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      name text NOT NULL,
      region text NOT NULL,
      period_from timestamptz NOT NULL,
      period_to timestamptz NOT NULL,
      definition jsonb NOT NULL,
      results jsonb NOT NULL,
      settings jsonb NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE dcgrid.scenario_studies`.execute(db);
}
