/**
 * The stress score as it was before issue 15, for side-by-side comparison only: five z-scores over
 * the 168-hour look-back (|ramp|, 24 h renewable variability, price, net load) plus SNSP against a
 * fixed 75 % limit, weights ramp 0.4, renew_var 0.4, price 0.2, net load 0.2, SNSP 0.2, combined as
 * sum(w c) / sqrt(sum w^2) over the components present.
 */
import { lagDifference, rollingStd, rollingZ } from '../../src/features/rolling.js';

const WEEK = { window: 168, minCount: 126 };
const DAY = { window: 24, minCount: 18 };

export interface LegacyInputs {
  demand: Float64Array;
  renew: Float64Array;
  netLoad: Float64Array;
  price: Float64Array;
  snsp: Float64Array;
}

export function legacyStress(x: LegacyInputs): Float64Array {
  const components: Array<[number, Float64Array]> = [
    [0.4, rollingZ(lagDifference(x.demand, 1).map(Math.abs), WEEK)],
    [0.4, rollingZ(rollingStd(x.renew, DAY), WEEK)],
    [0.2, rollingZ(x.price, WEEK)],
    [0.2, rollingZ(x.netLoad, WEEK)],
    [0.2, x.snsp.map((s) => (Number.isNaN(s) ? s : Math.min(4, Math.max(-2, (s - 0.5) / 0.125))))],
  ];
  const score = new Float64Array(x.demand.length);
  for (let h = 0; h < score.length; h++) {
    let sum = 0;
    let squares = 0;
    for (const [w, c] of components) {
      const v = c[h]!;
      if (Number.isNaN(v)) continue;
      sum += w * v;
      squares += w * w;
    }
    score[h] = squares > 0 ? sum / Math.sqrt(squares) : Number.NaN;
  }
  return score;
}
