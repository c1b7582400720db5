import type { ModelFactory } from '../types.js';
import { ProphetForecaster } from './model.js';

export { ProphetForecaster } from './model.js';

/** The `prophet` model: trend, daily and weekly seasonality and Irish public holidays. */
export const prophetFactory: ModelFactory = {
  name: 'prophet',
  create: () => new ProphetForecaster(),
  load: (files) => ProphetForecaster.fromFiles(files),
};
