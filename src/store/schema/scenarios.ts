import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** A capacity-planning study: its definition as validated, its results and the settings used. */
export interface ScenarioStudiesTable {
  id: Generated<number>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  name: string;
  region: string;
  period_from: Timestamp;
  period_to: Timestamp;
  definition: Json;
  results: Json;
  settings: Json;
}

export interface ScenarioTables {
  'dcgrid.scenario_studies': ScenarioStudiesTable;
}
