import type { ModelFactory } from '../types.js';
import { EnsembleForecaster } from './model.js';

export { EnsembleForecaster, parseEnsembleParams } from './model.js';

/**
 * The `ensemble` model: member models' forecasts combined with weights per horizon band learned on
 * validation origins, intervals calibrated on the same origins. `resolve` finds a member's factory
 * by name (the catalog passes its own lookup, so members are any model of the catalog).
 */
export function createEnsembleFactory(resolve: (name: string) => ModelFactory): ModelFactory {
  return {
    name: 'ensemble',
    create: () => new EnsembleForecaster(resolve),
    load: async (files) => EnsembleForecaster.fromFiles(files, resolve),
  };
}
