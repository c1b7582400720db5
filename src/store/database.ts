import type { FoundationTables } from './schema/foundation.js';
import type { ForecastingTables } from './schema/forecasting.js';
import type { MlopsTables } from './schema/mlops.js';
import type { ScenarioTables } from './schema/scenarios.js';

/** Every table, as Kysely sees it; each part of the system declares its own tables in schema/. */
export interface Database extends FoundationTables, ForecastingTables, MlopsTables, ScenarioTables {}
