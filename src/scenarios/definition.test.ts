import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { parseStudy } from './definition.js';

const valid = {
  name: 'site A',
  region: 'IE',
  from: '2023-01-01',
  to: '2024-01-01',
  scenarios: [
    { name: 'flat', addMw: 500 },
    { name: 'flex', addMw: 500, profile: { kind: 'flexible', share: 0.2, maxShiftH: 12 } },
  ],
};

function refusal(input: unknown): string {
  try {
    parseStudy(input);
  } catch (error) {
    expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('study definition', () => {
  it('accepts a study and fills the defaults', () => {
    const study = parseStudy(valid);
    expect(study.from).toBe(Date.UTC(2023, 0, 1));
    expect(study.to).toBe(Date.UTC(2024, 0, 1));
    expect(study.scenarios[0]!.profile).toEqual({ kind: 'flat' });
    expect(study.scenarios[1]!.profile).toEqual({
      kind: 'flexible',
      share: 0.2,
      maxShiftH: 12,
      objective: 'stress',
    });
  });

  it.each([
    ['negative MW', { scenarios: [{ name: 'x', addMw: -5 }] }, 'scenarios[0].addMw'],
    ['an end before the start', { from: '2024-01-01', to: '2023-01-01' }, 'to: must be after from'],
    ['an unknown region', { region: 'UK' }, 'region'],
    [
      'a share outside 0..1',
      { scenarios: [{ name: 'x', addMw: 5, profile: { kind: 'flexible', share: 1.5, maxShiftH: 3 } }] },
      'scenarios[0].profile.share',
    ],
    [
      'an unknown profile',
      { scenarios: [{ name: 'x', addMw: 5, profile: { kind: 'spiky' } }] },
      'scenarios[0].profile',
    ],
    ['an unknown field', { scenarios: [{ name: 'x', addMw: 5, size: 3 }] }, 'scenarios[0]'],
    ['a date that is no date', { from: '2023-13-45' }, 'from'],
    [
      'a ramp that ends before it starts',
      { scenarios: [{ name: 'x', addMw: 5, rampIn: { from: '2023-06-01', to: '2023-03-01' } }] },
      'scenarios[0].rampIn.to',
    ],
    [
      'two scenarios of one name',
      {
        scenarios: [
          { name: 'x', addMw: 5 },
          { name: 'x', addMw: 6 },
        ],
      },
      'scenarios: scenario names must be unique',
    ],
    ['no scenario', { scenarios: [] }, 'scenarios'],
  ])('refuses %s, naming the field', (_what, change, field) => {
    expect(refusal({ ...valid, ...change })).toContain(`study: ${field}`);
  });
});
