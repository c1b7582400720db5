import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, pick } from './route.js';

describe('route', () => {
  it('round-trips a view and its parameters through the hash', () => {
    const hash = formatRoute('forecast', {
      region: 'NI',
      target: 'price_eur_mwh',
      model: undefined,
      range: '30d',
    });
    expect(hash).toBe('#/forecast?region=NI&target=price_eur_mwh&range=30d');
    const route = parseRoute(hash);
    expect(route.view).toBe('forecast');
    expect(Object.fromEntries(route.params)).toEqual({ region: 'NI', target: 'price_eur_mwh', range: '30d' });
  });

  it('opens the overview for an empty or unknown view', () => {
    expect(parseRoute('').view).toBe('overview');
    expect(parseRoute('#/').view).toBe('overview');
    expect(parseRoute('#/nope?x=1').view).toBe('overview');
    expect(parseRoute('#/nope?x=1').params.get('x')).toBe('1');
  });

  it('encodes values that need it', () => {
    const hash = formatRoute('advisor', { start: '2024-11-01T10:00Z', weights: 'price:1,carbon:0.5' });
    expect(parseRoute(hash).params.get('weights')).toBe('price:1,carbon:0.5');
    expect(parseRoute(hash).params.get('start')).toBe('2024-11-01T10:00Z');
  });

  it('falls back when a parameter is not one of the allowed values', () => {
    const params = new URLSearchParams('region=XX&range=7d');
    expect(pick(params, 'region', ['IE', 'NI', 'ALL'], 'IE')).toBe('IE');
    expect(pick(params, 'range', ['7d', '30d'], '30d')).toBe('7d');
  });
});
