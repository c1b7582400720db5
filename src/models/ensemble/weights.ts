/**
 * Combination weights of an ensemble's median: non-negative, summing to one, chosen to minimise
 * the mean absolute error of the weighted median forecasts on validation points. A deterministic
 * descent from equal weights that moves weight between pairs of members in shrinking steps, so
 * any number of members works and the result repeats exactly.
 */

/** points[m][i]: member m's median forecast of validation point i; actual[i] its value. */
export function fitWeights(points: readonly Float64Array[], actual: Float64Array): number[] {
  const members = points.length;
  const weights = new Array<number>(members).fill(1 / members);
  if (members === 1) return weights;
  const loss = (w: readonly number[]): number => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < actual.length; i++) {
      const y = actual[i]!;
      if (!Number.isFinite(y)) continue;
      let combined = 0;
      for (let m = 0; m < members; m++) combined += w[m]! * points[m]![i]!;
      if (!Number.isFinite(combined)) continue;
      sum += Math.abs(y - combined);
      count++;
    }
    return count > 0 ? sum / count : Number.POSITIVE_INFINITY;
  };
  let best = loss(weights);
  for (const step of [0.25, 0.1, 0.05, 0.02, 0.01]) {
    let improved = true;
    while (improved) {
      improved = false;
      for (let from = 0; from < members; from++) {
        for (let to = 0; to < members; to++) {
          if (from === to || weights[from]! < step - 1e-12) continue;
          const trial = [...weights];
          trial[from] = Math.max(0, trial[from]! - step);
          trial[to] = trial[to]! + step;
          const value = loss(trial);
          if (value < best - 1e-12) {
            best = value;
            weights.splice(0, members, ...trial);
            improved = true;
          }
        }
      }
    }
  }
  // Rounded so that saved weights read well and sum to one exactly as stored.
  const rounded = weights.map((w) => Math.round(w * 1000) / 1000);
  const total = rounded.reduce((a, b) => a + b, 0);
  return rounded.map((w) => w / total);
}
