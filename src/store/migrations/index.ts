import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as forecasting from './0002_forecasting.js';
import * as mlops from './0003_mlops.js';
import * as byteOrderKeys from './0004_byte_order_keys.js';
import * as serve from './0005_serve.js';
import * as stressComponents from './0006_stress_components.js';
import * as scenarios from './0007_scenarios.js';
import * as dcLoadAnalysis from './0008_dc_load_analysis.js';
import * as stressEvents from './0009_stress_events.js';

/** Migrations in order; both backends (PGlite, PostgreSQL) run the same list. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_forecasting': forecasting,
  '0003_mlops': mlops,
  '0004_byte_order_keys': byteOrderKeys,
  '0005_serve': serve,
  '0006_stress_components': stressComponents,
  '0007_scenarios': scenarios,
  '0008_dc_load_analysis': dcLoadAnalysis,
  '0009_stress_events': stressEvents,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
