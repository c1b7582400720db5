import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes, isDcgridError, type DcgridError } from '../../../lib/errors.js';
import { seededRandom } from '../samples.js';
import { Booster, DMatrix, train } from './index.js';

/** y = 3 x0 - 2 x1 + sin(3 x2) + noise; x3 is irrelevant; 5% of x1 missing. */
function regression(rows: number, seed: number): { features: Float32Array; labels: Float32Array } {
  const random = seededRandom(seed);
  const features = new Float32Array(rows * 4);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1, random() * 2 - 1];
    labels[r] = 3 * x[0]! - 2 * x[1]! + Math.sin(3 * x[2]!) + 0.1 * (random() - 0.5);
    if (random() < 0.05) x[1] = Number.NaN;
    features.set(x, r * 4);
  }
  return { features, labels };
}

const NAMES = ['x0', 'x1', 'x2', 'x3'];
const PARAMS = { tree_method: 'hist', max_depth: 4, eta: 0.3, seed: 3, nthread: 2 };
const trainingSet = regression(3000, 1);
const testSet = regression(500, 2);
const dtrain = DMatrix.fromDense(trainingSet.features, 3000, 4, {
  labels: trainingSet.labels,
  featureNames: NAMES,
});
const dtest = DMatrix.fromDense(testSet.features, 500, 4, { labels: testSet.labels, featureNames: NAMES });

afterAll(() => {
  dtrain.dispose();
  dtest.dispose();
});

function rmse(predictions: Float32Array, labels: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (predictions[i]! - labels[i]!) ** 2;
  return Math.sqrt(sum / labels.length);
}

function expectXgbError(action: () => unknown, pattern: RegExp): DcgridError {
  try {
    action();
  } catch (error) {
    expect(isDcgridError(error, ErrorCodes.XGBOOST)).toBe(true);
    expect((error as Error).message).toMatch(pattern);
    return error as DcgridError;
  }
  throw new Error('expected a DcgridError');
}

describe('XGBoost wrapper', () => {
  it('learns a synthetic regression and predicts held-out rows', async () => {
    const { booster, history } = await train({ params: PARAMS, train: dtrain, rounds: 60 });
    try {
      expect(history).toHaveLength(60);
      expect(booster.boostedRounds()).toBe(60);
      const { values, shape } = booster.predict(dtest);
      expect(shape).toEqual([500]);
      // The labels' standard deviation is about 2.2; predicting their mean scores that RMSE.
      const mean = testSet.labels.reduce((a, b) => a + b, 0) / 500;
      const baseline = rmse(new Float32Array(500).fill(mean), testSet.labels);
      expect(rmse(values, testSet.labels)).toBeLessThan(0.2 * baseline);
      const importance = booster.featureScore('total_gain');
      const ranked = Object.entries(importance).sort((a, b) => b[1] - a[1]);
      expect(ranked[0]![0]).toBe('x0');
      expect(importance.x3 ?? 0).toBeLessThan(importance.x2!);
      expect(booster.featureNames).toEqual(NAMES);
    } finally {
      booster.dispose();
    }
  });

  it('stops early on the last evaluation set and reports its metric every round', async () => {
    const result = await train({
      params: { ...PARAMS, eta: 0.8, max_depth: 8, eval_metric: 'rmse' },
      train: dtrain,
      rounds: 300,
      evals: [
        { name: 'train', data: dtrain },
        { name: 'test', data: dtest },
      ],
      earlyStoppingRounds: 10,
    });
    try {
      expect(result.history.length).toBeLessThan(300);
      expect(result.history.length).toBe(result.bestIteration + 11);
      expect(Object.keys(result.history[0]!)).toEqual(['train-rmse', 'test-rmse']);
      const best = Math.min(...result.history.map((m) => m['test-rmse']!));
      expect(result.bestScore).toBe(best);
      expect(result.booster.getAttr('best_iteration')).toBe(String(result.bestIteration));
      // The library's own metric agrees with RMSE computed here on the best rounds' predictions.
      const predictions = result.booster.predict(dtest, { iterationRange: [0, result.bestIteration + 1] });
      expect(rmse(predictions.values, testSet.labels)).toBeCloseTo(best, 4);
    } finally {
      result.booster.dispose();
    }
  });

  it('predicts the first k rounds exactly like a model trained for k rounds', async () => {
    const short = await train({ params: PARAMS, train: dtrain, rounds: 10 });
    const long = await train({ params: PARAMS, train: dtrain, rounds: 25 });
    try {
      const truncated = long.booster.predict(dtest, { iterationRange: [0, 10] }).values;
      expect(truncated).toEqual(short.booster.predict(dtest).values);
      expect(long.booster.predict(dtest).values).not.toEqual(truncated);
    } finally {
      short.booster.dispose();
      long.booster.dispose();
    }
  });

  it('boosts with a custom squared-error gradient exactly like the built-in objective', async () => {
    const builtIn = await train({ params: PARAMS, train: dtrain, rounds: 15 });
    const custom = await train({
      params: PARAMS,
      train: dtrain,
      rounds: 15,
      objective: (margins, labels) => ({
        grad: margins.map((m, i) => m - labels[i]!),
        hess: new Float32Array(labels.length).fill(1),
      }),
    });
    try {
      expect(custom.booster.predict(dtest).values).toEqual(builtIn.booster.predict(dtest).values);
    } finally {
      builtIn.booster.dispose();
      custom.booster.dispose();
    }
  });

  it('returns SHAP contributions that add up to the margin', async () => {
    const { booster } = await train({ params: PARAMS, train: dtrain, rounds: 30 });
    try {
      const margin = booster.predict(dtest, { kind: 'margin' }).values;
      const { values, shape } = booster.predict(dtest, { kind: 'contributions' });
      expect(shape).toEqual([500, 5]);
      for (let r = 0; r < 500; r++) {
        const sum = values.subarray(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(margin[r]!, 3);
      }
      const approx = booster.predict(dtest, { kind: 'approxContributions' });
      expect(approx.shape).toEqual([500, 5]);
      expect(booster.predict(dtest, { kind: 'leaf' }).shape).toEqual([500, 30]);
    } finally {
      booster.dispose();
    }
  });

  it.each(['json', 'ubj'] as const)('saves and loads %s with identical predictions', async (format) => {
    const { booster } = await train({ params: PARAMS, train: dtrain, rounds: 40 });
    booster.setAttr('note', 'dcgrid');
    const bytes = booster.save(format);
    const restored = Booster.load(bytes);
    try {
      const head = new TextDecoder().decode(bytes.subarray(0, 12));
      expect(head.startsWith(format === 'json' ? '{"learner"' : '{L')).toBe(true);
      expect(restored.predict(dtest).values).toEqual(booster.predict(dtest).values);
      expect(restored.predict(dtest, { kind: 'contributions' }).values).toEqual(
        booster.predict(dtest, { kind: 'contributions' }).values,
      );
      expect(restored.featureNames).toEqual(NAMES);
      expect(restored.getAttr('note')).toBe('dcgrid');
      expect(restored.boostedRounds()).toBe(40);
      expect(Buffer.compare(restored.save(format), bytes)).toBe(0);
    } finally {
      booster.dispose();
      restored.dispose();
    }
  });

  it('turns an unknown parameter name into a typed error with the library message', () => {
    const booster = Booster.create({ ...PARAMS, max_dept: 3 }, [dtrain]);
    try {
      expectXgbError(() => booster.updateOneIter(0, dtrain), /Parameters: \{ "max_dept" \} are not used/);
    } finally {
      booster.dispose();
    }
  });

  it('turns an invalid parameter value into a typed error with the library message', () => {
    const booster = Booster.create({ ...PARAMS, max_depth: 'deep' }, [dtrain]);
    try {
      expectXgbError(() => booster.updateOneIter(0, dtrain), /Invalid Parameter format for max_depth/);
    } finally {
      booster.dispose();
    }
    const objective = Booster.create({ objective: 'reg:nonsense' }, [dtrain]);
    try {
      expectXgbError(() => objective.updateOneIter(0, dtrain), /Unknown objective function: `reg:nonsense`/);
    } finally {
      objective.dispose();
    }
  });

  it('rejects a matrix with the wrong number of features', async () => {
    const { booster } = await train({ params: PARAMS, train: dtrain, rounds: 5 });
    const wide = DMatrix.fromDense(new Float32Array(10 * 6), 10, 6);
    const narrow = DMatrix.fromDense(new Float32Array(10 * 3), 10, 3);
    try {
      expectXgbError(
        () => booster.predict(wide),
        /Number of columns does not match number of features in booster/,
      );
      expectXgbError(() => booster.predict(narrow), /Number of columns does not match.*\(3 vs\. 4\)/);
    } finally {
      booster.dispose();
      wide.dispose();
      narrow.dispose();
    }
  });

  it('rejects data that does not match the declared shape and unparseable model bytes', () => {
    expect(() => DMatrix.fromDense(new Float32Array(10), 3, 4)).toThrow(/expected rows x cols = 3 x 4/);
    expect(() => dtrain.setLabels(new Float32Array(5))).toThrow(/label has 5 values for 3000 rows/);
    expectXgbError(
      () => Booster.load(new TextEncoder().encode('{"learner": 1')),
      /XGBoosterLoadModelFromBuffer failed/,
    );
  });

  it('interrupts training between rounds when the signal is aborted', async () => {
    const controller = new AbortController();
    const run = train({
      params: PARAMS,
      train: dtrain,
      rounds: 10_000,
      signal: controller.signal,
      onRound: (round) => {
        if (round === 4) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: ErrorCodes.INTERRUPTED });
  });

  it('is safe to dispose twice and refuses use after dispose', () => {
    const matrix = DMatrix.fromDense(new Float32Array(8), 2, 4);
    const booster = Booster.create({}, [matrix]);
    booster.dispose();
    booster.dispose();
    matrix.dispose();
    matrix.dispose();
    expect(booster.disposed && matrix.disposed).toBe(true);
    expectXgbError(() => booster.predict(dtest), /Booster was disposed/);
    expectXgbError(() => matrix.nativeShape(), /DMatrix was disposed/);
  });

  it('reports the native shape of a matrix', () => {
    expect(dtrain.nativeShape()).toEqual({ rows: 3000, cols: 4 });
  });
});
