import type { ApiApp, RouteContext } from '../context.js';
import { registerForecastRoutes } from './forecast.js';
import { registerHealthRoutes } from './health.js';
import { registerModelVersionRoutes } from './model-version.js';

/** Every route module, in the order of the docs. Returns a handle on background work they own. */
export function registerRoutes(app: ApiApp, ctx: RouteContext): { stop(): Promise<void> } {
  registerHealthRoutes(app, ctx);
  registerForecastRoutes(app, ctx);
  registerModelVersionRoutes(app, ctx);
  return { stop: async () => undefined };
}
