/**
 * Physical bounds per series: a reading outside them cannot be a measurement of the Irish power
 * system (a -99999 sentinel, a value in the wrong unit, a misplaced decimal point) and is refused
 * with the file, line or row, and column, so it is never stored. Readings inside the bounds that
 * are merely unusual (a price spike, a demand record) are kept and flagged as outliers by the
 * ingest's quality report. The reasoning for each bound is in docs/DATA.md ("Physical bounds").
 *
 * The bounds are deliberately wide: they sit far outside anything the island's plant and
 * interconnectors can do today or under published plans, so they never need tuning to data.
 */
import { DcgridError, ErrorCodes, type ErrorLocation } from '../lib/errors.js';
import { SERIES, type SeriesName } from './types.js';

export interface PhysicalBounds {
  min: number;
  max: number;
}

/** All-island demand peaked near 7.2 GW; 25 GW is over three times that and above all plant plus imports. */
const SYSTEM_MW = 25_000;
/** Generation series dip below zero when plant draws station load (wind to -58 MW in the real data). */
const GENERATION: PhysicalBounds = { min: -1_000, max: SYSTEM_MW };
/** Each interconnector is 500-700 MW; ten times that is out of reach of any planned link. */
const INTERCONNECTOR: PhysicalBounds = { min: -5_000, max: 5_000 };
/** SEM day-ahead prices are capped by the SDAC harmonised limits (-500 / +4,000 EUR/MWh, raised after spikes). */
const PRICE: PhysicalBounds = { min: -1_000, max: 10_000 };

export const PHYSICAL_BOUNDS: Readonly<Record<SeriesName, PhysicalBounds>> = {
  demand_mw: { min: 0, max: SYSTEM_MW },
  demand_forecast_mw: { min: 0, max: SYSTEM_MW },
  generation_mw: GENERATION,
  wind_mw: GENERATION,
  wind_availability_mw: GENERATION,
  wind_forecast_mw: GENERATION,
  solar_mw: GENERATION,
  solar_availability_mw: GENERATION,
  solar_forecast_mw: GENERATION,
  hydro_mw: GENERATION,
  battery_mw: { min: -SYSTEM_MW, max: SYSTEM_MW },
  oversupply_mw: GENERATION,
  ic_ewic_mw: INTERCONNECTOR,
  ic_moyle_mw: INTERCONNECTOR,
  ic_greenlink_mw: INTERCONNECTOR,
  ic_north_south_mw: INTERCONNECTOR,
  ic_net_mw: { min: -SYSTEM_MW, max: SYSTEM_MW },
  wind_penetration: { min: -1, max: 20 },
  solar_penetration: { min: -1, max: 20 },
  oversupply_fraction: { min: -1, max: 20 },
  snsp: { min: 0, max: 2 },
  co2_intensity: { min: 0, max: 2_000 },
  co2_emissions: { min: 0, max: 50_000 },
  price_eur_mwh: PRICE,
  price_gbp_mwh: PRICE,
  dc_load_mw: { min: 0, max: SYSTEM_MW },
};

/** Whether `value` is a reading the series can physically have (finite and inside its bounds). */
export function isPhysical(series: SeriesName, value: number): boolean {
  const bounds = PHYSICAL_BOUNDS[series];
  return value >= bounds.min && value <= bounds.max;
}

/**
 * Refuses an impossible reading. `where` is built only on failure (parsers call this for
 * every value of files with millions of rows).
 */
export function checkPhysical(series: SeriesName, value: number | null, where: () => ErrorLocation): void {
  if (value === null || isPhysical(series, value)) return;
  throw physicalError(series, value, where());
}

/** The error for an impossible reading; `written` is the cell as the file has it when that differs (a percent). */
export function physicalError(
  series: SeriesName,
  value: number,
  where: ErrorLocation,
  written?: string,
): DcgridError {
  const { min, max } = PHYSICAL_BOUNDS[series];
  const as = written === undefined ? String(value) : `${written} (${value} as ${SERIES[series]})`;
  return new DcgridError(
    ErrorCodes.VALUE_INVALID,
    `${as} is not a possible ${series} reading: outside the physical bounds ${min} to ${max} ${SERIES[series]} (docs/DATA.md)`,
    where,
  );
}
