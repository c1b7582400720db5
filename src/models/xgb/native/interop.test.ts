/**
 * Models cross between this wrapper and the Python xgboost package on the same library version:
 * saved from Node, loaded in Python, and the reverse, with bit-identical predictions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../samples.js';
import { Booster, DMatrix, train, xgbLibrary } from './index.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./interop.py', import.meta.url));

function pythonXgboostVersion(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import xgboost; print(xgboost.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

const pythonVersion = pythonXgboostVersion();
const skipReason =
  pythonVersion === undefined
    ? `skipped: ${PYTHON} cannot import xgboost (apt-get install python3-xgboost)`
    : `Python xgboost ${pythonVersion}`;

function python(request: Record<string, unknown>): Record<string, unknown> {
  const run = spawnSync(PYTHON, [SCRIPT], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (run.status !== 0) throw new Error(`interop.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function readFloats(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe.skipIf(pythonVersion === undefined)(`XGBoost interop with Python (${skipReason})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dcgrid-xgb-interop-'));
  const rows = 2000;
  const cols = 6;
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const random = seededRandom(11);
  const features = Float32Array.from({ length: rows * cols }, () =>
    random() < 0.03 ? Number.NaN : random() * 4 - 2,
  );
  const labels = Float32Array.from({ length: rows }, (_, r) => {
    const x = (j: number): number => (Number.isNaN(features[r * cols + j]!) ? 0 : features[r * cols + j]!);
    return x(0) * x(1) + Math.cos(x(2)) - 0.5 * x(3) + 0.05 * random();
  });
  const featurePath = join(dir, 'features.f32');
  const labelPath = join(dir, 'labels.f32');
  writeFileSync(featurePath, features);
  writeFileSync(labelPath, labels);
  const params = { tree_method: 'hist', max_depth: 5, eta: 0.2, subsample: 0.9, seed: 5, nthread: 2 };
  const matrix = DMatrix.fromDense(features, rows, cols, { labels, featureNames: names });

  afterAll(() => {
    matrix.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the same XGBoost version on both sides', () => {
    expect(pythonVersion).toBe(xgbLibrary().version);
  });

  it.each(['ubj', 'json'] as const)(
    'Python loads a %s model saved from Node and predicts identically',
    async (format) => {
      const { booster } = await train({ params, train: matrix, rounds: 50 });
      try {
        const modelPath = join(dir, `node-model.${format}`);
        const outPath = join(dir, `python-predictions-${format}.f32`);
        writeFileSync(modelPath, booster.save(format));
        const answer = python({
          action: 'predict',
          model: modelPath,
          features: featurePath,
          rows,
          cols,
          out: outPath,
        });
        expect(answer.rounds).toBe(50);
        expect(answer.features).toEqual(names);
        expect(maxAbsDiff(readFloats(outPath), booster.predict(matrix).values)).toBe(0);
      } finally {
        booster.dispose();
      }
    },
  );

  it.each(['ubj', 'json'] as const)(
    'Node loads a %s model trained in Python and predicts identically',
    async (format) => {
      const modelPath = join(dir, `python-model.${format}`);
      const outPath = join(dir, `python-train-predictions-${format}.f32`);
      python({
        action: 'train',
        features: featurePath,
        labels: labelPath,
        rows,
        cols,
        params,
        rounds: 50,
        featureNames: names,
        model: modelPath,
        out: outPath,
      });
      const fromPython = Booster.load(readFileSync(modelPath));
      const { booster: fromNode } = await train({ params, train: matrix, rounds: 50 });
      try {
        const pythonPredictions = readFloats(outPath);
        expect(fromPython.featureNames).toEqual(names);
        expect(maxAbsDiff(fromPython.predict(matrix).values, pythonPredictions)).toBe(0);
        // Same data, parameters and seed: training itself is reproduced bit for bit across languages.
        expect(maxAbsDiff(fromNode.predict(matrix).values, pythonPredictions)).toBe(0);
      } finally {
        fromPython.dispose();
        fromNode.dispose();
      }
    },
  );
});
