import type { ModelFactory } from '../types.js';
import { MstlForecaster } from './model.js';

export { MstlForecaster } from './model.js';

/** The `mstl` model: MSTL (24 h and 168 h seasons) with an AutoETS trend, refit at each origin. */
export const mstlFactory: ModelFactory = {
  name: 'mstl',
  create: () => new MstlForecaster(),
  load: async (files) => MstlForecaster.fromFiles(files),
};
