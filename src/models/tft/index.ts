import type { ModelFactory } from '../types.js';
import { loadTft, TftForecaster } from './model.js';

export { TftForecaster } from './model.js';
export type { ForecastExplanation } from './interpret.js';

export const tftFactory: ModelFactory = {
  name: 'tft',
  create: () => new TftForecaster(),
  load: loadTft,
};
