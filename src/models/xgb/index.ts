import type { ModelFactory } from '../types.js';
import { XgbForecaster } from './model.js';

export { XgbForecaster } from './model.js';
export type { ForecastExplanation } from './model.js';

/** The `xgb` model: multi-horizon quantile gradient boosting on the XGBoost C library. */
export const xgbFactory: ModelFactory = {
  name: 'xgb',
  create: () => new XgbForecaster(),
  load: async (files) => XgbForecaster.fromFiles(files),
};
