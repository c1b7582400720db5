/**
 * Optional interval calibration on the validation windows (hyper-parameter `calibration`): the
 * same split-conformal shifts as XGBoost's (models/calibration.ts), fitted per quantile and block
 * of 24 forecast hours on the residuals of the validation windows, in the network's normalised
 * units, and added to its outputs at forecast time. Off by default: on the real ROI demand the raw
 * P10-P90 band held 74 % and 86 % on the two tuning windows, and the shifts fitted on the last four
 * weeks before each fit did not bring either nearer 80 % (docs/TFT.md, "Interval calibration").
 */
import * as tf from '@tensorflow/tfjs';
import { fitShifts, type CalibrationMode } from '../calibration.js';
import { buildBatch, type FeatureSettings, type PreparedSeries } from './features.js';
import { INFERENCE } from './layers.js';
import type { TftNetwork } from './network.js';
import { toInputs } from './training.js';

export interface TftCalibration {
  mode: Exclude<CalibrationMode, 'none'>;
  /** Validation windows the shifts were fitted on. */
  windows: number;
  /** Scored (window, hour) residuals behind the shifts. */
  residuals: number;
  /** shifts[quantile][block of 24 forecast hours], normalised units. */
  shifts: number[][];
}

/** Fits the shifts on the scored hours of `origins`; null when there is nothing to fit on. */
export function calibrateOnWindows(
  job: { network: TftNetwork; series: PreparedSeries; settings: FeatureSettings; batchSize: number },
  origins: readonly number[],
  scoreFrom: number,
  quantiles: readonly number[],
  mode: CalibrationMode,
): TftCalibration | null {
  if (mode === 'none' || origins.length === 0) return null;
  const td = job.settings.horizon;
  const q = quantiles.length;
  const predictions: number[][] = quantiles.map(() => []);
  const labels: number[] = [];
  const horizons: number[] = [];
  for (let i = 0; i < origins.length; i += job.batchSize) {
    const arrays = buildBatch(job.series, job.settings, {
      origins: origins.slice(i, i + job.batchSize),
      withTargets: true,
      scoreFrom,
    });
    const output = tf.tidy(() => job.network.apply(toInputs(arrays, job.network), INFERENCE).quantiles);
    const values = output.dataSync();
    output.dispose();
    for (let b = 0; b < arrays.batch; b++) {
      for (let h = 0; h < td; h++) {
        if (arrays.mask![b * td + h] === 0) continue;
        labels.push(arrays.targets![b * td + h]!);
        horizons.push(h + 1);
        for (let k = 0; k < q; k++) predictions[k]!.push(values[(b * td + h) * q + k]!);
      }
    }
  }
  if (labels.length === 0) return null;
  const shifts = fitShifts(
    mode,
    quantiles,
    predictions.map((p) => Float64Array.from(p)),
    Float32Array.from(labels),
    Int32Array.from(horizons),
    td,
  );
  return { mode, windows: origins.length, residuals: labels.length, shifts };
}
