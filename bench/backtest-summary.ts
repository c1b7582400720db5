/**
 * The columns both backtest benchmarks print for a model (bench/backtest.ts, bench/tft/validate.ts):
 * MAE, MAPE and MASE day-ahead and week-ahead, day-ahead P10-P90 coverage, and the day-ahead MASE
 * gain over the baseline model of the same run.
 */
import { improvementOver, type BacktestResult, type ModelBacktest } from '../src/backtest/engine.js';
import type { Cell } from '../src/cli/output.js';

export function summaryCells(
  result: BacktestResult,
  m: ModelBacktest,
  baseline: string,
): { cells: Record<string, Cell>; gain: number } {
  const gain = improvementOver(result, m.model, baseline, 'mase', 'day_ahead');
  return {
    gain,
    cells: {
      model: m.model,
      'DA MAE': m.scopes.day_ahead.mae,
      'DA MAPE %': m.scopes.day_ahead.mape,
      'DA MASE': m.scopes.day_ahead.mase,
      'WA MAE': m.scopes.week_ahead.mae,
      'WA MAPE %': m.scopes.week_ahead.mape,
      'WA MASE': m.scopes.week_ahead.mase,
      'DA cover': m.scopes.day_ahead.coverage,
      [`DA MASE vs ${baseline}`]: m.model === baseline ? '(baseline)' : `${(100 * gain).toFixed(1)} %`,
    },
  };
}
