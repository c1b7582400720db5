import type { ApiApp, RouteContext } from '../context.js';
import { registerCarbonAwareRoutes } from './carbon-aware.js';
import { registerDataReportRoutes } from './data-report.js';
import { registerFeatureRoutes } from './features.js';
import { registerForecastRoutes } from './forecast.js';
import { registerHealthRoutes } from './health.js';
import { registerModelVersionRoutes } from './model-version.js';
import { registerModelRoutes } from './models.js';
import { registerPipelineRoutes } from './pipeline.js';
import { registerScenarioRoutes } from './scenarios.js';
import { registerScheduleRoutes } from './schedule.js';
import { registerStressRoutes } from './stress.js';

/** Every route module, in the order of the docs. Returns a handle on background work they own. */
export function registerRoutes(app: ApiApp, ctx: RouteContext): { stop(): Promise<void> } {
  registerHealthRoutes(app, ctx);
  registerForecastRoutes(app, ctx);
  registerStressRoutes(app, ctx);
  registerFeatureRoutes(app, ctx);
  registerDataReportRoutes(app, ctx);
  registerModelRoutes(app, ctx);
  registerModelVersionRoutes(app, ctx);
  registerScheduleRoutes(app, ctx);
  registerScenarioRoutes(app, ctx);
  registerCarbonAwareRoutes(app, ctx);
  const pipeline = registerPipelineRoutes(app, ctx);
  return { stop: () => pipeline.stop() };
}
