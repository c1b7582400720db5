/**
 * Names of the flags a feature row may carry (FeatureRow.flags), one per kind of estimated,
 * incomplete or derived value. docs/FEATURES.md ("Flags") says when each one is set.
 */

/** Columns read from ingested series, each with the stem of its `<stem>_incomplete` flag. */
export const OBSERVED_COLUMN_STEMS = {
  demand_mw: 'demand',
  generation_mw: 'generation',
  wind_mw: 'wind',
  solar_mw: 'solar',
  price_eur_mwh: 'price',
  co2_intensity: 'co2_intensity',
  snsp: 'snsp',
  ic_ewic_mw: 'ic_ewic',
  ic_moyle_mw: 'ic_moyle',
  ic_greenlink_mw: 'ic_greenlink',
  ic_net_mw: 'ic_net',
  demand_forecast_mw: 'demand_forecast',
  wind_forecast_mw: 'wind_forecast',
  solar_forecast_mw: 'solar_forecast',
  dc_load_mw: 'dc_load',
} as const;
export type ObservedColumn = keyof typeof OBSERVED_COLUMN_STEMS;
export const OBSERVED_COLUMNS = Object.keys(OBSERVED_COLUMN_STEMS) as ObservedColumn[];

export type IncompleteFlag = `${(typeof OBSERVED_COLUMN_STEMS)[ObservedColumn]}_incomplete`;

export const DERIVED_FLAGS = [
  /** An ALL value was summed from the IE and NI values of the same hour. */
  'summed_regions',
  /** No solar reading yet for this region: solar_mw NULL, renewables are wind alone. */
  'solar_unreported',
  /** stress_score computed from some of its components (weights renormalised). */
  'stress_partial',
  /** The hour's CSO period energy was estimated (from a share of total metered consumption, or extrapolated). */
  'dc_energy_estimated',
  /** The hour's CSO period energy is a quarter's part of an annual figure (growth-profile split). */
  'dc_energy_from_annual',
  /** No CSO energy for the hour's period: dc_load_mw NULL. */
  'dc_energy_unknown',
  /** The hour's CSO period is only partly covered by the data; its energy was scaled to the covered part. */
  'dc_period_partial',
  /** A proxy shape input (demand, price or renewable share) was missing; that term contributed 0. */
  'dc_shape_partial',
] as const;
export type DerivedFlag = (typeof DERIVED_FLAGS)[number];

export type FeatureFlag = IncompleteFlag | DerivedFlag;

export function incompleteFlag(column: ObservedColumn): IncompleteFlag {
  return `${OBSERVED_COLUMN_STEMS[column]}_incomplete`;
}

/** Every flag, in the order a row lists them (the bit order of flag masks). */
export const ALL_FLAGS: readonly FeatureFlag[] = [...OBSERVED_COLUMNS.map(incompleteFlag), ...DERIVED_FLAGS];

const FLAG_BITS = new Map<FeatureFlag, number>(ALL_FLAGS.map((flag, i) => [flag, 1 << i]));

/** The bit of a flag in a flag mask. */
export function flagBit(flag: FeatureFlag): number {
  return FLAG_BITS.get(flag)!;
}

const maskLists = new Map<number, readonly FeatureFlag[]>();

/**
 * The flags of a mask as a frozen list. Rows with the same flags share one list (a build has a
 * few dozen distinct sets for ~100k rows), so flags cost no allocation per row.
 */
export function flagsOfMask(mask: number): readonly FeatureFlag[] {
  let flags = maskLists.get(mask);
  if (!flags) {
    flags = Object.freeze(ALL_FLAGS.filter((_, i) => (mask & (1 << i)) !== 0));
    maskLists.set(mask, flags);
  }
  return flags;
}
