import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import type { CommandContext } from '../context.js';
import { pipelineRequest } from './pipeline.js';

const context = (env: Record<string, string> = {}) =>
  ({
    config: loadConfig({ DCGRID_HOME: '/tmp/dcgrid-pipeline-request', ...env }, { dotenv: false }),
  }) as unknown as CommandContext;

describe('pipeline request', () => {
  it('trains the event classifiers for stress_event and the quicker models for the other targets', () => {
    const request = pipelineRequest(context(), {});
    expect(request.targets).toEqual([
      'dc_load_mw',
      'price_eur_mwh',
      'co2_intensity',
      'stress_score',
      'stress_event',
    ]);
    expect(request.models).toEqual(['snaive168', 'xgb', 'tft', 'ensemble']);
    expect(request.targetModels).toEqual({
      price_eur_mwh: ['snaive168', 'xgb'],
      co2_intensity: ['snaive168', 'xgb'],
      stress_score: ['snaive168', 'xgb'],
      stress_event: ['eventclim', 'xgbevent'],
    });
  });

  it('gives stress_event the event classifiers even as the only target, and follows PIPELINE_EVENT_MODELS', () => {
    const alone = pipelineRequest(context(), { targets: 'stress_event' });
    expect(alone.targetModels).toEqual({ stress_event: ['eventclim', 'xgbevent'] });
    const one = pipelineRequest(context({ PIPELINE_EVENT_MODELS: 'xgbevent' }), {
      targets: 'demand_mw,stress_event',
    });
    expect(one.targetModels).toEqual({ stress_event: ['xgbevent'] });
    expect(pipelineRequest(context(), { targets: 'demand_mw' }).targetModels).toBeUndefined();
  });
});
