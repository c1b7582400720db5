import { describe, expect, it } from 'vitest';
import { sourcesCsv } from './export.js';
import type { StudyResults } from './study.js';

describe('input sources as CSV', () => {
  it('writes one row per run of hours, naming the forecast', () => {
    const results = {
      inputs: {
        observedTo: '2024-11-01T00:00:00.000Z',
        horizonHours: 24,
        sources: {
          demand_mw: [
            {
              from: '2024-10-31T00:00:00.000Z',
              to: '2024-11-01T00:00:00.000Z',
              hours: 24,
              source: 'observed',
            },
            {
              from: '2024-11-01T00:00:00.000Z',
              to: '2024-11-02T00:00:00.000Z',
              hours: 24,
              source: 'forecast',
              model: 'xgb',
              version: 3,
              origin: '2024-11-01T00:00:00.000Z',
            },
          ],
          snsp: [
            {
              from: '2024-10-31T00:00:00.000Z',
              to: '2024-11-02T00:00:00.000Z',
              hours: 48,
              source: 'missing',
            },
          ],
        },
        stressForecast: null,
      },
    } as unknown as StudyResults;
    expect(sourcesCsv(results).trim().split('\n')).toEqual([
      'input,from,to,hours,source,model,version,origin',
      'demand_mw,2024-10-31T00:00:00.000Z,2024-11-01T00:00:00.000Z,24,observed,,,',
      'demand_mw,2024-11-01T00:00:00.000Z,2024-11-02T00:00:00.000Z,24,forecast,xgb,3,2024-11-01T00:00:00.000Z',
      'snsp,2024-10-31T00:00:00.000Z,2024-11-02T00:00:00.000Z,48,missing,,,',
    ]);
    expect(sourcesCsv({} as StudyResults)).toBe('input,from,to,hours,source,model,version,origin\n');
  });
});
