/**
 * Every model dcgrid can train, by name. Importing this module loads every model's code
 * (TensorFlow.js for tft takes seconds): commands that only register themselves should import it
 * lazily, inside their action.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { createEnsembleFactory } from './ensemble/index.js';
import { mstlFactory } from './mstl/index.js';
import { prophetFactory } from './prophet/index.js';
import { snaive168Factory, snaive24Factory } from './snaive/index.js';
import { tftFactory } from './tft/index.js';
import { withValidationIntervals } from './calibrated.js';
import type { ModelFactory } from './types.js';
import { eventClimatologyFactory, xgbEventFactory } from './event/index.js';
import { xgbFactory } from './xgb/index.js';

/** The models as they are, without the shared interval calibration (the ensemble's members). */
const OWN_FACTORIES: readonly ModelFactory[] = [
  snaive24Factory,
  snaive168Factory,
  mstlFactory,
  prophetFactory,
  xgbFactory,
  tftFactory,
];

/**
 * Every single model takes its intervals from its validation origins (calibrated.ts). The ensemble
 * builds its own on the same origins from its members' medians (same functions), so its members
 * are the models as they are.
 */
const FACTORIES: readonly ModelFactory[] = [
  ...OWN_FACTORIES.map((factory) => withValidationIntervals(factory, { medianOnly: factory === xgbFactory })),
  // Event classifiers forecast a probability: their 0/1 quantiles follow from it, not from errors.
  eventClimatologyFactory,
  xgbEventFactory,
  createEnsembleFactory((name) => ownModelFactory(name)),
];

function ownModelFactory(name: string): ModelFactory {
  const factory = OWN_FACTORIES.find((f) => f.name === name);
  if (factory === undefined) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `Unknown ensemble member "${name}"; members can be: ${OWN_FACTORIES.map((f) => f.name).join(', ')}.`,
    );
  }
  return factory;
}

/** Model names in catalog order: baselines first. */
export const MODEL_NAMES: readonly string[] = FACTORIES.map((factory) => factory.name);

export function isModelName(name: string): boolean {
  return MODEL_NAMES.includes(name);
}

/**
 * The factory of a model; an unknown name is a settings error (a model name comes from a flag or a
 * setting such as PIPELINE_MODELS) that lists the known ones.
 */
export function getModelFactory(name: string): ModelFactory {
  const factory = FACTORIES.find((f) => f.name === name);
  if (factory === undefined) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `Unknown model "${name}"; known models: ${MODEL_NAMES.join(', ')}.`,
    );
  }
  return factory;
}

/**
 * Frame columns besides the target that a model reads with these parameters (their
 * `pastColumns`), so that callers load them. Without any, a model sees the target and the calendar.
 */
export function modelInputColumns(params: Record<string, unknown> | undefined, model?: string): string[] {
  const defaults =
    model !== undefined ? FACTORIES.find((f) => f.name === model)?.defaultPastColumns : undefined;
  const past = params?.pastColumns ?? defaults ?? [];
  if (!Array.isArray(past) || past.some((c) => typeof c !== 'string')) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, 'pastColumns must be a list of column names.');
  }
  const columns = new Set(past as string[]);
  // An ensemble reads what its members read.
  const members = params?.memberParams;
  if (members !== null && typeof members === 'object' && !Array.isArray(members)) {
    for (const memberParams of Object.values(members as Record<string, unknown>)) {
      if (memberParams !== null && typeof memberParams === 'object' && !Array.isArray(memberParams)) {
        for (const column of modelInputColumns(memberParams as Record<string, unknown>)) columns.add(column);
      }
    }
  }
  return [...columns];
}
