/**
 * The hourly load a scenario adds (MW), before any flexibility: its size, shaped by the profile and
 * scaled by the ramp-in. Pure: hour starts in, MW out.
 */
import type { ScenarioDefinition } from './definition.js';

/**
 * The default diurnal shape by UTC hour: a data hall's cooling load follows the outdoor temperature
 * and batch work runs in office hours, about +-8 % around the mean (afternoon high, pre-dawn low).
 */
export const DEFAULT_DIURNAL_SHAPE: readonly number[] = Array.from(
  { length: 24 },
  (_, h) => 1 + 0.08 * Math.cos((2 * Math.PI * (h - 15)) / 24),
);

/** A shape rescaled to mean 1, so the scenario's size stays its mean load. */
export function normalisedShape(shape: readonly number[]): number[] {
  const mean = shape.reduce((a, b) => a + b, 0) / shape.length;
  return shape.map((x) => x / mean);
}

/** 0 before the ramp, a linear rise to 1 at its end, 1 after; 1 everywhere without a ramp. */
export function rampFactor(ts: number, ramp: ScenarioDefinition['rampIn']): number {
  if (!ramp || ts >= ramp.to) return 1;
  if (ts < ramp.from) return 0;
  return ramp.to === ramp.from ? 1 : (ts - ramp.from) / (ramp.to - ramp.from);
}

export function addedLoad(scenario: ScenarioDefinition, ts: Float64Array): Float64Array {
  const { profile } = scenario;
  const shape = profile.kind === 'diurnal' ? normalisedShape(profile.shape ?? DEFAULT_DIURNAL_SHAPE) : null;
  const out = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const level = shape ? shape[new Date(t).getUTCHours()]! : 1;
    out[i] = scenario.addMw * level * rampFactor(t, scenario.rampIn);
  }
  return out;
}
