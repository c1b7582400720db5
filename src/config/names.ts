/**
 * Regions and forecast targets: plain lists (no validation library), so that the CLI can check
 * a flag without loading the settings schema.
 */
export const REGIONS = ['IE', 'NI', 'ALL'] as const;
export type Region = (typeof REGIONS)[number];

/** Numeric feature columns a model may forecast. */
export const FORECAST_TARGETS = [
  'dc_load_mw',
  'demand_mw',
  'wind_mw',
  'solar_mw',
  'net_load_mw',
  'price_eur_mwh',
  'co2_intensity',
  'stress_score',
  // A 0/1 label: forecast as a probability by the event classifiers (xgbevent, eventclim).
  'stress_event',
] as const;
export type ForecastTarget = (typeof FORECAST_TARGETS)[number];
