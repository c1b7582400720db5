/** Registration inputs for tests: small model files in the formats real models use. */
import type { RegisterInput } from '../types.js';

export function modelFiles(seed: number): Record<string, Uint8Array> {
  const weights = new Float32Array(256).map((_, i) => Math.sin(seed * 7 + i));
  return {
    'config.json': new TextEncoder().encode(JSON.stringify({ format: 'dcgrid-xgb', seed })),
    'model-p50.ubj': new Uint8Array(1024).map((_, i) => (seed * 31 + i) % 256),
    'weights.f32': new Uint8Array(weights.buffer),
  };
}

export function registration(
  overrides: Partial<RegisterInput> & { mase?: number; seed?: number } = {},
): RegisterInput {
  const { mase = 0.9, seed = 1, ...rest } = overrides;
  return {
    region: 'IE',
    target: 'dc_load_mw',
    model: 'xgb',
    files: modelFiles(seed),
    metadata: {
      features: ['demand_mw', 'hour_sin', 'hour_cos'],
      params: { max_depth: 6, eta: 0.05 },
      horizon: 168,
      contextLength: 168,
      quantiles: [0.1, 0.5, 0.9],
      trainingWindow: { from: Date.UTC(2023, 0, 1), to: Date.UTC(2025, 4, 31, 23) },
      dataFingerprint: `sha256:data-${seed}`,
    },
    backtestMetrics: { day_ahead_mase: mase, week_ahead_mase: mase * 1.1 },
    ...rest,
  };
}
