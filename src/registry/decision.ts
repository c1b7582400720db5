/**
 * The promotion rule: a new version becomes champion of its (region, target) only if its backtest
 * beats the current champion's on the promotion metric (PROMOTION_METRIC, lower is better), or if
 * there is no champion yet. A version without a finite value of the metric never becomes champion
 * on its own. Ties keep the champion.
 */
import type { Decision, ModelVersionRecord, SeriesKey } from './types.js';

export function describeVersion(v: { model: string; version: number }): string {
  return `${v.model} v${v.version}`;
}

function format(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

export function decideAlias(
  series: SeriesKey,
  metric: string,
  candidate: Record<string, number | null>,
  champion: Pick<ModelVersionRecord, 'model' | 'version' | 'metrics'> | undefined,
): Decision {
  const mine = candidate[metric];
  if (mine === null || mine === undefined || !Number.isFinite(mine)) {
    return { alias: 'challenger', reason: `no finite ${metric} in its backtest: not eligible for champion` };
  }
  if (champion === undefined) {
    return {
      alias: 'champion',
      reason: `${metric} ${format(mine)}; no champion yet for ${series.region}/${series.target}`,
    };
  }
  const theirs = champion.metrics[metric];
  if (theirs === null || theirs === undefined || !Number.isFinite(theirs)) {
    return {
      alias: 'champion',
      reason: `${metric} ${format(mine)}; champion ${describeVersion(champion)} has no finite ${metric}`,
    };
  }
  if (mine < theirs) {
    return {
      alias: 'champion',
      reason: `${metric} ${format(mine)} beats champion ${describeVersion(champion)} (${format(theirs)})`,
    };
  }
  return {
    alias: 'challenger',
    reason: `${metric} ${format(mine)} does not beat champion ${describeVersion(champion)} (${format(theirs)})`,
  };
}

/** Metrics as stored: JSON has no NaN or infinity, so those become null. */
export function storableMetrics(metrics: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}
