/**
 * The saved form of an xgb forecaster: config.json (feature spec, quantile boosters, fit facts)
 * plus, per quantile level, the booster in UBJ (loaded back) and JSON (for people and for Python).
 */
import { modelJson, readModelJson } from '../model-files.js';
import { z } from 'zod';
import { REGIONS } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { ModelFiles } from '../types.js';

export const CONFIG_FILE = 'config.json';
const FORMAT = 'dcgrid-xgb';
const FORMAT_VERSION = 1;

const boosterEntry = z.object({
  quantile: z.number().gt(0).lt(1),
  /** Boosters of one quantile (one per seed) are averaged; 0 is the first. */
  member: z.number().int().min(0).default(0),
  ubj: z.string(),
  json: z.string(),
  /** 0-based best round; forecasts use rounds [0, bestIteration]. */
  bestIteration: z.number().int().min(0),
  /** Calibration shift per block of 24 horizons, in normalised units (empty: none). */
  shifts: z.array(z.number()),
});

const configSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(FORMAT_VERSION),
  target: z.string(),
  region: z.enum(REGIONS),
  horizon: z.number().int().min(1),
  lookbackHours: z.number().int().min(1),
  scale: z.number().positive(),
  pastColumns: z.array(z.string()),
  /** Models saved before the feature existed do not have it. */
  yearLag: z.boolean().default(false),
  features: z.array(z.string()),
  boosters: z.array(boosterEntry).min(1),
  params: z.record(z.string(), z.unknown()),
  trainedFrom: z.number(),
  trainedTo: z.number(),
  xgboostVersion: z.string(),
});

export type SavedConfig = z.infer<typeof configSchema>;
export type SavedBooster = z.infer<typeof boosterEntry>;

/** "p10" for 0.1, "p2.5" for 0.025: file-name friendly quantile labels. */
export function quantileLabel(quantile: number): string {
  return `p${Number((quantile * 100).toFixed(6))}`;
}

export function boosterFileNames(quantile: number, member = 0): { ubj: string; json: string } {
  const label = quantileLabel(quantile) + (member > 0 ? `-s${member}` : '');
  return { ubj: `model-${label}.ubj`, json: `model-${label}.json` };
}

export function encodeConfig(config: Omit<SavedConfig, 'format' | 'version'>): Uint8Array {
  const full: SavedConfig = { format: FORMAT, version: FORMAT_VERSION, ...config };
  return modelJson(full);
}

export function decodeConfig(files: ModelFiles): SavedConfig {
  const config = readModelJson(files, CONFIG_FILE, configSchema, 'xgb');
  for (const booster of config.boosters) {
    if (files[booster.ubj] === undefined && files[booster.json] === undefined) {
      throw new DcgridError(ErrorCodes.MODEL, `Booster file for quantile ${booster.quantile} is missing.`, {
        file: booster.ubj,
      });
    }
  }
  return config;
}
