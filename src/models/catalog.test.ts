import { describe, expect, it } from 'vitest';
import { isDcgridError, type DcgridError } from '../lib/errors.js';
import { getModelFactory, isModelName, MODEL_NAMES, modelInputColumns } from './catalog.js';

describe('model catalog', () => {
  it('lists the baselines first, then the learned models, the event classifiers, then the ensemble', () => {
    expect(MODEL_NAMES).toEqual([
      'snaive24',
      'snaive168',
      'mstl',
      'prophet',
      'xgb',
      'tft',
      'eventclim',
      'xgbevent',
      'ensemble',
    ]);
  });

  it('gives each name a factory whose models carry that name', () => {
    for (const name of MODEL_NAMES) {
      const factory = getModelFactory(name);
      expect(factory.name).toBe(name);
      const model = factory.create();
      expect(model.name).toBe(name);
      model.dispose();
    }
    expect(isModelName('mstl')).toBe(true);
    expect(isModelName('arima')).toBe(false);
  });

  it('refuses an unknown name and lists the known ones', () => {
    let error: unknown;
    try {
      getModelFactory('arima');
    } catch (e) {
      error = e;
    }
    expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
    expect((error as DcgridError).message).toContain(
      'snaive24, snaive168, mstl, prophet, xgb, tft, eventclim, xgbevent, ensemble',
    );
  });

  it('reads the extra columns a model asks for from its parameters', () => {
    expect(modelInputColumns(undefined)).toEqual([]);
    expect(modelInputColumns({ rounds: 10 })).toEqual([]);
    expect(modelInputColumns({ pastColumns: ['wind_mw'] })).toEqual(['wind_mw']);
    expect(
      modelInputColumns({
        members: ['xgb', 'tft'],
        memberParams: { xgb: { pastColumns: ['wind_mw'] }, tft: {} },
      }),
    ).toEqual(['wind_mw']);
    expect(
      isDcgridError(
        (() => {
          try {
            modelInputColumns({ pastColumns: 'wind' });
          } catch (e) {
            return e;
          }
        })(),
        'E_CONFIG_INVALID',
      ),
    ).toBe(true);
  });
});
