/**
 * Metrics of event-probability forecasts (a 0/1 target such as stress_event; definitions:
 * docs/BACKTESTING.md, "Event forecasts"). Points whose outcome or probability is NaN are skipped.
 *
 *   brier      mean (p - y)²
 *   auc        ROC AUC: the chance that a random event hour gets a higher p than a random
 *              non-event hour (ties count half); NaN without both kinds of hour
 *   precision  events among the hours with p ≥ the alert probability (NaN when none is alerted)
 *   recall     share of the event hours with p ≥ the alert probability
 *   event_rate observed share of event hours
 *   mean_p     mean forecast probability (calibration in the large: equal to event_rate when calibrated)
 *
 * The reliability table bins p into equal-width bins and gives each bin's mean p and observed rate.
 */

export const EVENT_METRIC_NAMES = [
  'brier',
  'auc',
  'precision',
  'recall',
  'event_rate',
  'mean_p',
  'n_events',
] as const;
export type EventMetricName = (typeof EVENT_METRIC_NAMES)[number];
export type EventMetricValues = Record<EventMetricName, number>;

export interface ReliabilityBin {
  /** Probability range [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  /** Forecast hours in the bin. */
  n: number;
  meanProbability: number;
  observedRate: number;
}

export class EventAccumulator {
  #p: number[] = [];
  #y: number[] = [];

  add(probability: number, outcome: number): void {
    if (Number.isNaN(probability) || Number.isNaN(outcome)) return;
    this.#p.push(probability);
    this.#y.push(outcome > 0.5 ? 1 : 0);
  }

  merge(other: EventAccumulator): void {
    for (let i = 0; i < other.#p.length; i++) {
      this.#p.push(other.#p[i]!);
      this.#y.push(other.#y[i]!);
    }
  }

  get size(): number {
    return this.#p.length;
  }

  values(alertProbability: number): EventMetricValues & { n: number } {
    const n = this.#p.length;
    let brier = 0;
    let events = 0;
    let sumP = 0;
    let alerted = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const p = this.#p[i]!;
      const y = this.#y[i]!;
      brier += (p - y) ** 2;
      events += y;
      sumP += p;
      if (p >= alertProbability) {
        alerted++;
        hits += y;
      }
    }
    return {
      brier: n > 0 ? brier / n : Number.NaN,
      auc: rocAuc(this.#p, this.#y),
      precision: alerted > 0 ? hits / alerted : Number.NaN,
      recall: events > 0 ? hits / events : Number.NaN,
      event_rate: n > 0 ? events / n : Number.NaN,
      mean_p: n > 0 ? sumP / n : Number.NaN,
      n_events: events,
      n,
    };
  }

  reliability(bins = 10): ReliabilityBin[] {
    const count = new Array<number>(bins).fill(0);
    const sumP = new Array<number>(bins).fill(0);
    const sumY = new Array<number>(bins).fill(0);
    for (let i = 0; i < this.#p.length; i++) {
      const p = this.#p[i]!;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
      count[b]!++;
      sumP[b]! += p;
      sumY[b]! += this.#y[i]!;
    }
    return count.map((n, b) => ({
      from: b / bins,
      to: (b + 1) / bins,
      n,
      meanProbability: n > 0 ? sumP[b]! / n : Number.NaN,
      observedRate: n > 0 ? sumY[b]! / n : Number.NaN,
    }));
  }
}

/** ROC AUC by the rank-sum (Mann-Whitney) formula, with mid-ranks for tied probabilities. */
export function rocAuc(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && probabilities[order[j + 1]!] === probabilities[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (outcomes[order[k]!]! > 0.5) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
