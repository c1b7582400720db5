/**
 * Forecast accuracy metrics (definitions: docs/BACKTESTING.md). Every function skips points whose
 * actual or forecast is NaN; a metric with no point to score is NaN.
 *
 *   MAE     mean |y - ŷ|                       (ŷ: the median forecast)
 *   RMSE    sqrt(mean (y - ŷ)²)
 *   MAPE    100 · mean |y - ŷ| / |y|           over points with y ≠ 0
 *   sMAPE   100 · mean 2|y - ŷ| / (|y| + |ŷ|)  over points with |y| + |ŷ| > 0
 *   MASE    mean |y - ŷ| / s                   s: in-sample MAE of the weekly seasonal naive on the
 *                                               training window before the origin (positive s only)
 *   pinball mean over points of the mean over levels q of max(q·u, (q - 1)·u), u = y - ŷ_q
 *   coverage share of points with P10 ≤ y ≤ P90
 */

export const METRIC_NAMES = [
  'mae',
  'rmse',
  'mape',
  'smape',
  'mase',
  'pinball',
  'coverage',
  /** Points scored. */
  'n',
  /** Points without an actual value (NaN), left out. */
  'missing_actual',
  /** Points whose forecast was NaN, left out. */
  'missing_forecast',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricValues = Record<MetricName, number>;

type Values = ArrayLike<number>;

const known = (...values: number[]): boolean => values.every((v) => !Number.isNaN(v));

function meanOver(
  actual: Values,
  predicted: Values,
  term: (y: number, f: number) => number | undefined,
): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    const f = predicted[i]!;
    if (!known(y, f)) continue;
    const value = term(y, f);
    if (value === undefined) continue;
    sum += value;
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

export function mae(actual: Values, predicted: Values): number {
  return meanOver(actual, predicted, (y, f) => Math.abs(y - f));
}

export function rmse(actual: Values, predicted: Values): number {
  return Math.sqrt(meanOver(actual, predicted, (y, f) => (y - f) ** 2));
}

/** In percent; points with a zero actual are skipped (their percentage error is undefined). */
export function mape(actual: Values, predicted: Values): number {
  return meanOver(actual, predicted, (y, f) => (y === 0 ? undefined : (100 * Math.abs(y - f)) / Math.abs(y)));
}

/** In percent, 0 to 200. */
export function smape(actual: Values, predicted: Values): number {
  return meanOver(actual, predicted, (y, f) => {
    const denominator = Math.abs(y) + Math.abs(f);
    return denominator === 0 ? undefined : (200 * Math.abs(y - f)) / denominator;
  });
}

/** Mean absolute error scaled by `scale` (one per point, or one for all). */
export function mase(actual: Values, predicted: Values, scale: number | Values): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const s = typeof scale === 'number' ? scale : scale[i]!;
    const y = actual[i]!;
    const f = predicted[i]!;
    if (!known(y, f) || !(s > 0) || !Number.isFinite(s)) continue;
    sum += Math.abs(y - f) / s;
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/**
 * The MASE scale: mean |y_t - y_{t-season}| over the pairs where both values are known. With the
 * default season of 168 h it is the in-sample MAE of the weekly seasonal naive forecast.
 */
export function seasonalNaiveScale(values: Values, season = 168): number {
  let sum = 0;
  let count = 0;
  for (let t = season; t < values.length; t++) {
    const change = values[t]! - values[t - season]!;
    if (Number.isNaN(change)) continue;
    sum += Math.abs(change);
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

export function pinball(y: number, forecast: number, level: number): number {
  const u = y - forecast;
  return Math.max(level * u, (level - 1) * u);
}

/** Pinball loss averaged over the levels, then over the points; quantiles[k][i] is level k at point i. */
export function pinballLoss(actual: Values, quantiles: readonly Values[], levels: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    if (Number.isNaN(y) || quantiles.some((row) => Number.isNaN(row[i]!))) continue;
    let point = 0;
    for (const [k, level] of levels.entries()) point += pinball(y, quantiles[k]![i]!, level);
    sum += point / levels.length;
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** Share of points with lower ≤ y ≤ upper. */
export function intervalCoverage(actual: Values, lower: Values, upper: Values): number {
  let inside = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    if (!known(y, lower[i]!, upper[i]!)) continue;
    if (y >= lower[i]! && y <= upper[i]!) inside++;
    count++;
  }
  return count > 0 ? inside / count : Number.NaN;
}

const LEVEL_TOLERANCE = 1e-9;
const indexOfLevel = (levels: readonly number[], level: number): number =>
  levels.findIndex((l) => Math.abs(l - level) < LEVEL_TOLERANCE);

/**
 * Running sums of every metric over forecast points added one at a time, so that a backtest can
 * pool points per horizon hour and per scope without keeping them. The same definitions as the
 * functions above (a test checks they agree).
 */
export class MetricAccumulator {
  readonly levels: readonly number[];
  readonly #median: number;
  readonly #p10: number;
  readonly #p90: number;
  #n = 0;
  #missingActual = 0;
  #missingForecast = 0;
  #absolute = 0;
  #squared = 0;
  #percent = 0;
  #percentCount = 0;
  #symmetric = 0;
  #symmetricCount = 0;
  #scaled = 0;
  #scaledCount = 0;
  #pinball = 0;
  #inside = 0;

  /** `levels`: the forecast's quantile levels, in the order add() receives them; must include 0.5. */
  constructor(levels: readonly number[]) {
    this.levels = [...levels];
    this.#median = indexOfLevel(levels, 0.5);
    if (this.#median < 0) throw new RangeError(`quantile levels [${levels.join(', ')}] have no median (0.5)`);
    this.#p10 = indexOfLevel(levels, 0.1);
    this.#p90 = indexOfLevel(levels, 0.9);
  }

  /** One forecast point: the actual, the value at each level, and the origin's MASE scale. */
  add(actual: number, quantiles: Values, scale: number): void {
    if (Number.isNaN(actual)) {
      this.#missingActual++;
      return;
    }
    for (let k = 0; k < this.levels.length; k++) {
      if (Number.isNaN(quantiles[k]!)) {
        this.#missingForecast++;
        return;
      }
    }
    const forecast = quantiles[this.#median]!;
    const error = Math.abs(actual - forecast);
    this.#n++;
    this.#absolute += error;
    this.#squared += error * error;
    if (actual !== 0) {
      this.#percent += (100 * error) / Math.abs(actual);
      this.#percentCount++;
    }
    const denominator = Math.abs(actual) + Math.abs(forecast);
    if (denominator > 0) {
      this.#symmetric += (200 * error) / denominator;
      this.#symmetricCount++;
    }
    if (scale > 0 && Number.isFinite(scale)) {
      this.#scaled += error / scale;
      this.#scaledCount++;
    }
    let loss = 0;
    for (let k = 0; k < this.levels.length; k++) loss += pinball(actual, quantiles[k]!, this.levels[k]!);
    this.#pinball += loss / this.levels.length;
    if (
      this.#p10 >= 0 &&
      this.#p90 >= 0 &&
      actual >= quantiles[this.#p10]! &&
      actual <= quantiles[this.#p90]!
    ) {
      this.#inside++;
    }
  }

  /** Adds another accumulator's points (same levels). */
  merge(other: MetricAccumulator): void {
    this.#n += other.#n;
    this.#missingActual += other.#missingActual;
    this.#missingForecast += other.#missingForecast;
    this.#absolute += other.#absolute;
    this.#squared += other.#squared;
    this.#percent += other.#percent;
    this.#percentCount += other.#percentCount;
    this.#symmetric += other.#symmetric;
    this.#symmetricCount += other.#symmetricCount;
    this.#scaled += other.#scaled;
    this.#scaledCount += other.#scaledCount;
    this.#pinball += other.#pinball;
    this.#inside += other.#inside;
  }

  values(): MetricValues {
    const ratio = (sum: number, count: number) => (count > 0 ? sum / count : Number.NaN);
    return {
      mae: ratio(this.#absolute, this.#n),
      rmse: Math.sqrt(ratio(this.#squared, this.#n)),
      mape: ratio(this.#percent, this.#percentCount),
      smape: ratio(this.#symmetric, this.#symmetricCount),
      mase: ratio(this.#scaled, this.#scaledCount),
      pinball: ratio(this.#pinball, this.#n),
      coverage: this.#p10 >= 0 && this.#p90 >= 0 ? ratio(this.#inside, this.#n) : Number.NaN,
      n: this.#n,
      missing_actual: this.#missingActual,
      missing_forecast: this.#missingForecast,
    };
  }
}
