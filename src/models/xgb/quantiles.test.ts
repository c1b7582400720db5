import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../lib/errors.js';
import { fitShifts, horizonBlock, shiftFor } from '../calibration.js';
import { atLevels, empiricalQuantile, uncross } from '../quantiles.js';
import { pinballLoss, pinballObjective } from './pinball.js';
import { seededRandom } from './samples.js';

describe('quantile helpers', () => {
  it('sorts crossing quantiles per hour', () => {
    const curves = [Float64Array.of(1, 5), Float64Array.of(3, 2), Float64Array.of(2, 9)];
    uncross(curves);
    expect(curves.map((c) => Array.from(c))).toEqual([
      [1, 2],
      [2, 5],
      [3, 9],
    ]);
  });

  it('copies trained levels, interpolates between them and refuses levels outside', () => {
    const trained = [0.1, 0.5, 0.9];
    const curves = [Float64Array.of(10), Float64Array.of(20), Float64Array.of(40)];
    const [p50, p30, p70] = atLevels(trained, curves, [0.5, 0.3, 0.7]);
    expect([p50![0], p30![0], p70![0]]).toEqual([20, 15, 30]);
    expect(() => atLevels(trained, curves, [0.95])).toThrow(
      expect.objectContaining({ code: ErrorCodes.VALUE_INVALID }),
    );
  });

  it('computes the pinball loss, its gradient and empirical quantiles', () => {
    expect(pinballLoss([0, 0], [1, -1], 0.9)).toBeCloseTo((0.9 * 1 + 0.1 * 1) / 2, 12);
    const { grad, hess } = pinballObjective(0.9)(Float32Array.of(0, 2, 1), Float32Array.of(1, 1, 1));
    expect(Array.from(grad)).toEqual([Math.fround(-0.9), Math.fround(0.1), 0]);
    expect(Array.from(hess)).toEqual([1, 1, 1]);
    expect(empiricalQuantile([4, 1, Number.NaN, 3, 2], 0.5)).toBe(2.5);
    expect(empiricalQuantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
  });
});

describe('conformal calibration', () => {
  // Predictions that are too narrow: the truth is N(0, 1) but the curves claim +-0.5 for P10/P90.
  const random = seededRandom(4);
  const rows = 4800;
  const horizons = Int32Array.from({ length: rows }, (_, i) => 1 + (i % 48));
  const labels = Float32Array.from({ length: rows }, () => {
    const u = Math.max(random(), 1e-12);
    return 0.3 + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
  const levels = [0.1, 0.5, 0.9];
  const predictions = [-0.5, 0, 0.5].map((v) => new Float64Array(rows).fill(v));

  it('full mode shifts each level so validation coverage matches it, per block of 24 horizons', () => {
    const shifts = fitShifts('full', levels, predictions, labels, horizons, 48);
    expect(shifts.map((s) => s.length)).toEqual([2, 2, 2]);
    for (const [q, level] of levels.entries()) {
      for (const block of [0, 1]) {
        const rowsInBlock = Array.from(horizons.keys()).filter((r) => horizonBlock(horizons[r]!) === block);
        const below = rowsInBlock.filter(
          (r) => labels[r]! <= predictions[q]![r]! + shifts[q]![block]!,
        ).length;
        expect(below / rowsInBlock.length).toBeCloseTo(level, 2);
      }
    }
  });

  it('spread mode widens the same way but keeps the median where the model put it', () => {
    const full = fitShifts('full', levels, predictions, labels, horizons, 48);
    const spread = fitShifts('spread', levels, predictions, labels, horizons, 48);
    expect(spread[1]).toEqual([0, 0]);
    for (const q of [0, 2]) {
      for (const block of [0, 1])
        expect(spread[q]![block]!).toBeCloseTo(full[q]![block]! - full[1]![block]!, 9);
    }
    expect(spread[2]![0]! - spread[0]![0]!).toBeGreaterThan(1.2); // widened from 1.0 towards 2.56
    expect(fitShifts('none', levels, predictions, labels, horizons, 48)).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('leaves blocks without enough validation rows unshifted', () => {
    const shifts = fitShifts('full', levels, predictions, labels, horizons, 96);
    expect(shifts[0]!.slice(2)).toEqual([0, 0]);
    expect(shiftFor(shifts[0]!, 200)).toBe(0);
  });
});
