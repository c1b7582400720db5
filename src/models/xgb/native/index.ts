export { Booster, parseEvalLine } from './booster.js';
export type {
  BoosterParams,
  EvalSet,
  ImportanceType,
  ModelFormat,
  ParamValue,
  Prediction,
  PredictionKind,
  PredictOptions,
} from './booster.js';
export { DMatrix } from './dmatrix.js';
export type { DMatrixOptions, FloatInfoField } from './dmatrix.js';
export { defaultThreadCount, locateLibrary, xgbLibrary } from './library.js';
export { train } from './train.js';
export type { CustomMetric, CustomObjective, TrainOptions, TrainResult } from './train.js';
