/** Studies as CSV: the side-by-side summary, and the hourly replay for charts of one's own. */
import type { StudyOutcome } from './evaluate.js';
import type { StudyResults } from './study.js';

const cell = (v: unknown): string => {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export const SUMMARY_CSV_COLUMNS = [
  'scenario',
  'profile',
  'add_mw',
  'hours',
  'hours_normal',
  'hours_elevated',
  'hours_high',
  'hours_critical',
  'hours_above_threshold',
  'peak_net_load_mw',
  'stress_p50',
  'stress_p90',
  'stress_p99',
  'mean_renewable_share',
  'mean_dc_share',
  'added_energy_mwh',
  'cost_eur',
  'priced_share',
  'avg_price_eur_mwh',
  'carbon_t',
  'flex_shifted_mwh',
  'flex_saved_cost_eur',
  'flex_saved_carbon_t',
  'flex_fewer_hours_above_threshold',
] as const;

export function summaryCsv(results: StudyResults): string {
  const lines = [SUMMARY_CSV_COLUMNS.join(',')];
  for (const { summary: s } of [results.baseline, ...results.scenarios]) {
    lines.push(
      [
        s.name,
        s.profile,
        s.addMw,
        s.hours,
        s.bandHours.normal,
        s.bandHours.elevated,
        s.bandHours.high,
        s.bandHours.critical,
        s.hoursAboveThreshold,
        s.peakNetLoadMw,
        s.stressP50,
        s.stressP90,
        s.stressP99,
        s.meanRenewableShare,
        s.meanDcShare,
        s.addedEnergyMwh,
        s.costEur,
        s.pricedShare,
        s.avgPriceEurMwh,
        s.carbonT,
        s.flex?.shiftedMwh,
        s.flex?.savedCostEur,
        s.flex?.savedCarbonT,
        s.flex?.fewerHoursAboveThreshold,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One row per hour: for the baseline and each scenario, the added MW, net load and stress score. */
export function hourlyCsv(outcome: StudyOutcome): string {
  const all = [outcome.baseline, ...outcome.scenarios];
  const header = ['ts_utc'];
  for (const o of all) {
    const p = o.summary.name;
    header.push(`${p}_added_mw`, `${p}_net_load_mw`, `${p}_stress_score`);
  }
  const lines = [header.map(cell).join(',')];
  for (let h = 0; h < outcome.ts.length; h++) {
    const row: unknown[] = [new Date(outcome.ts[h]!).toISOString()];
    for (const o of all) row.push(o.hourly.added[h], o.hourly.netLoad[h], o.hourly.stress[h]);
    lines.push(row.map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Which hours of which input came from where (studies that kept it; empty otherwise). */
export function sourcesCsv(results: StudyResults): string {
  const lines = ['input,from,to,hours,source,model,version,origin'];
  for (const [input, spans] of Object.entries(results.inputs?.sources ?? {})) {
    for (const s of spans) {
      lines.push([input, s.from, s.to, s.hours, s.source, s.model, s.version, s.origin].map(cell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
