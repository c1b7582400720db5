/** The vocabulary of CSO data-centre figures: metrics with their units, and how sure each figure is. */
import type { CsoFigure } from '../types.js';

export type CsoMetric = CsoFigure['metric'];

/** Each metric's unit (the share is a percentage of all metered electricity consumption). */
export const CSO_METRIC_UNITS: Readonly<Record<CsoMetric, CsoFigure['unit']>> = {
  data_centre_consumption: 'GWh',
  data_centre_share_of_total_metered_electricity: 'percent',
  total_metered_electricity_consumption: 'GWh',
  large_energy_users_consumption: 'GWh',
};

/**
 * How a figure is known, most to least certain:
 * - pxstat: read from the CSO's PxStat table MEC02 (or summed from its quarters);
 * - published: read on a cso.ie release page;
 * - published_in_press: a CSO figure quoted by a newspaper;
 * - derived: arithmetic on published figures or deltas;
 * - inferred_from_press: read from a press sentence that implies it;
 * - secondary_unverified: only seen quoted by a third party.
 */
export const CSO_STATUSES = [
  'pxstat',
  'published',
  'published_in_press',
  'derived',
  'inferred_from_press',
  'secondary_unverified',
] as const;
export type CsoStatus = (typeof CSO_STATUSES)[number];

/** A CsoFigure whose status is one of the known ones. */
export interface CsoFigureEntry extends CsoFigure {
  status: CsoStatus;
}

/** The PxStat MEC02 table as CSV (quarterly GWh from 2015). */
export const MEC02_CSV_URL =
  'https://ws.cso.ie/public/api.restful/PxStat.Data.Cube_API.ReadDataset/MEC02/CSV/1.0/en';

/** The key one figure is known by: a figure of a period and metric replaces another with the same key. */
export function figureKey(figure: Pick<CsoFigure, 'year' | 'quarter' | 'metric'>): string {
  return `${figure.year}|${figure.quarter ?? 'year'}|${figure.metric}`;
}
