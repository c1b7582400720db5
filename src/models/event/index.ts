import type { ModelFactory } from '../types.js';
import { EVENT_CLIMATOLOGY, EventClimatology } from './climatology.js';
import { XGB_EVENT, XGB_EVENT_PAST_COLUMNS, XgbEventForecaster } from './xgb-event.js';

export { EventClimatology } from './climatology.js';
export { XgbEventForecaster, fitPlatt } from './xgb-event.js';
export { bernoulliQuantile } from './shared.js';

/** `eventclim`: P(event) = the training rate of the hour's local hour of day and month (the baseline). */
export const eventClimatologyFactory: ModelFactory = {
  name: EVENT_CLIMATOLOGY,
  create: () => new EventClimatology(),
  load: async (files) => EventClimatology.fromFiles(files),
};

/** `xgbevent`: P(event) for each hour ahead from one binary:logistic booster, calibrated. */
export const xgbEventFactory: ModelFactory = {
  name: XGB_EVENT,
  defaultPastColumns: XGB_EVENT_PAST_COLUMNS,
  create: () => new XgbEventForecaster(),
  load: async (files) => XgbEventForecaster.fromFiles(files),
};
