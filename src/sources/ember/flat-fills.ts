/**
 * Runs of identical consecutive values on a regular time grid. A wholesale price that stays
 * exactly the same for a day or more is not a market outcome but a gap the publisher filled with
 * one number (Ember says its missing values are interpolated; in the Irish file they are constant).
 */
export interface ConstantRun {
  /** Index of the first and one past the last element of the run. */
  start: number;
  end: number;
  value: number;
}

/**
 * Every run of at least `minLength` equal, non-null values whose timestamps follow each other
 * exactly `stepMs` apart. A missing value or a hole in the timestamps ends a run.
 */
export function findConstantRuns(
  tsUtc: readonly number[],
  values: readonly (number | null)[],
  stepMs: number,
  minLength: number,
): ConstantRun[] {
  const runs: ConstantRun[] = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    const continues =
      i < values.length &&
      values[i] !== null &&
      values[i] === values[start] &&
      tsUtc[i] === (tsUtc[i - 1] ?? Number.NaN) + stepMs;
    if (continues) continue;
    const first = values[start];
    if (first !== null && first !== undefined && i - start >= minLength)
      runs.push({ start, end: i, value: first });
    start = i;
  }
  return runs;
}
