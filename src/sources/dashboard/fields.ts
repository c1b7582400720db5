/**
 * The Smart Grid Dashboard's vocabulary: FieldName -> canonical series, Region codes, and which
 * `area` query returns which fields.
 */
import type { Region } from '../../config/config.js';
import type { SeriesName } from '../types.js';

export interface FieldSpec {
  series: SeriesName;
  /** The step the dashboard publishes the field at. */
  intervalMin: number;
  /** Published in percent; stored as a fraction. */
  percent: boolean;
}

const field = (series: SeriesName, intervalMin = 15, percent = false): FieldSpec => ({
  series,
  intervalMin,
  percent,
});

export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  SYSTEM_DEMAND: field('demand_mw'),
  GEN_EXP: field('generation_mw'),
  WIND_ACTUAL: field('wind_mw'),
  SOLAR_ACTUAL: field('solar_mw'),
  INTER_EWIC: field('ic_ewic_mw'),
  INTER_GRNLK: field('ic_greenlink_mw'),
  INTER_MOYLE: field('ic_moyle_mw'),
  INTER_NET: field('ic_net_mw'),
  CO2_INTENSITY: field('co2_intensity'),
  CO2_EMISSIONS: field('co2_emissions'),
  SNSP_ALL: field('snsp', 30, true),
  DEMAND_FORECAST_VALUE: field('demand_forecast_mw', 30),
  WIND_FCAST: field('wind_forecast_mw'),
  SOLAR_FCAST: field('solar_forecast_mw'),
};

/** The FieldName that carries a series (inverse of FIELDS). */
export const FIELD_OF_SERIES: Readonly<Partial<Record<SeriesName, string>>> = Object.fromEntries(
  Object.entries(FIELDS).map(([name, spec]) => [spec.series, name]),
);

/** Region codes in the payload. Interconnector rows say ROI even in ALL queries: they stay IE. */
export const REGION_OF_CODE: Readonly<Record<string, Region>> = { ROI: 'IE', NI: 'NI', ALL: 'ALL' };
export const CODE_OF_REGION: Readonly<Record<Region, string>> = { IE: 'ROI', NI: 'NI', ALL: 'ALL' };

/** The `area` query parameter values and the fields each returns. */
export const AREAS = {
  demandactual: ['SYSTEM_DEMAND'],
  demandforecast: ['DEMAND_FORECAST_VALUE'],
  generationactual: ['GEN_EXP'],
  windactual: ['WIND_ACTUAL'],
  windforecast: ['WIND_FCAST'],
  solaractual: ['SOLAR_ACTUAL'],
  solarforecast: ['SOLAR_FCAST'],
  interconnection: ['INTER_EWIC', 'INTER_GRNLK', 'INTER_MOYLE', 'INTER_NET'],
  co2intensity: ['CO2_INTENSITY'],
  co2emission: ['CO2_EMISSIONS'],
  SnspALL: ['SNSP_ALL'],
} as const satisfies Record<string, readonly string[]>;
export type DashboardArea = keyof typeof AREAS;

/**
 * Moves the decimal point instead of dividing, so "39.4" percent gives the double nearest 0.394
 * (39.4 / 100 gives 0.39399999999999996). `power` is -2 for percent -> fraction, 2 for back.
 */
export function shiftDecimal(value: number, power: number): number {
  const text = String(value);
  return text.includes('e') ? value * 10 ** power : Number(`${text}e${power}`);
}
