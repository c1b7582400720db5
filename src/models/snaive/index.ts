import type { ModelFactory } from '../types.js';
import { SeasonalNaiveForecaster } from './model.js';

export { SeasonalNaiveForecaster } from './model.js';

function seasonalNaiveFactory(season: number): ModelFactory {
  const name = `snaive${season}`;
  return {
    name,
    create: () => new SeasonalNaiveForecaster(season, name),
    load: async (files) => SeasonalNaiveForecaster.fromFiles(files, season, name),
  };
}

/** `snaive24`: tomorrow looks like today (the same hour one day before). */
export const snaive24Factory: ModelFactory = seasonalNaiveFactory(24);

/** `snaive168`: next week looks like this week (the same hour one week before); the MASE benchmark. */
export const snaive168Factory: ModelFactory = seasonalNaiveFactory(168);
