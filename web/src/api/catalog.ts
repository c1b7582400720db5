/** Names and units of what the API serves, as the dashboard labels them. */

export const REGIONS = ['IE', 'NI', 'ALL'] as const;
export type Region = (typeof REGIONS)[number];

export const REGION_LABELS: Record<Region, string> = {
  IE: 'Ireland (IE)',
  NI: 'Northern Ireland (NI)',
  ALL: 'All-island (ALL)',
};

export interface ColumnInfo {
  label: string;
  unit: string;
  /** Decimal places shown. */
  digits: number;
  /** Stored as a share 0..1, shown as a percentage. */
  share?: boolean;
}

export const COLUMNS: Record<string, ColumnInfo> = {
  demand_mw: { label: 'Demand', unit: 'MW', digits: 0 },
  dc_load_mw: { label: 'Data-centre load', unit: 'MW', digits: 0 },
  wind_mw: { label: 'Wind', unit: 'MW', digits: 0 },
  solar_mw: { label: 'Solar', unit: 'MW', digits: 0 },
  net_load_mw: { label: 'Net load', unit: 'MW', digits: 0 },
  price_eur_mwh: { label: 'Day-ahead price', unit: 'EUR/MWh', digits: 2 },
  renewable_share: { label: 'Renewable share', unit: '%', digits: 1, share: true },
  co2_intensity: { label: 'CO2 intensity', unit: 'gCO2/kWh', digits: 0 },
  snsp: { label: 'SNSP', unit: '%', digits: 1, share: true },
  stress_score: { label: 'Grid stress', unit: 'z', digits: 2 },
};

export function columnInfo(column: string): ColumnInfo {
  return COLUMNS[column] ?? { label: column, unit: '', digits: 2 };
}

/** Forecast targets in the order the pickers list them. */
export const TARGETS = [
  'demand_mw',
  'dc_load_mw',
  'price_eur_mwh',
  'co2_intensity',
  'stress_score',
  'wind_mw',
  'solar_mw',
  'net_load_mw',
] as const;

export const STRESS_BANDS = ['normal', 'elevated', 'high', 'critical'] as const;
export type StressBand = (typeof STRESS_BANDS)[number];

export const BAND_FILLS: Record<StressBand, string> = {
  normal: 'rgba(16, 185, 129, 0.08)',
  elevated: 'rgba(234, 179, 8, 0.16)',
  high: 'rgba(249, 115, 22, 0.18)',
  critical: 'rgba(220, 38, 38, 0.18)',
};

/** Solid colours of the bands, for the 7-day strip (readable next to each other and on white). */
export const BAND_COLOURS: Record<StressBand, string> = {
  normal: '#34d399',
  elevated: '#facc15',
  high: '#fb923c',
  critical: '#dc2626',
};

export const PALETTE = {
  observed: '#1f2937',
  forecast: '#1d4ed8',
  band: 'rgba(29, 78, 216, 0.18)',
  threshold: '#b91c1c',
  chosen: 'rgba(22, 163, 74, 0.25)',
  now: 'rgba(107, 114, 128, 0.22)',
  origin: '#6b7280',
  models: ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f'],
};
