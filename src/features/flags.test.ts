import { describe, expect, it } from 'vitest';
import { ALL_FLAGS, flagBit, flagsOfMask, incompleteFlag } from './flags.js';

describe('flags', () => {
  it('fit one 32-bit mask, one bit each', () => {
    expect(ALL_FLAGS.length).toBeLessThanOrEqual(31);
    expect(new Set(ALL_FLAGS.map(flagBit)).size).toBe(ALL_FLAGS.length);
    expect(incompleteFlag('price_eur_mwh')).toBe('price_incomplete');
    expect(incompleteFlag('dc_load_mw')).toBe('dc_load_incomplete');
  });

  it('turn a mask into a frozen list in row order, shared between equal masks', () => {
    const mask = flagBit('stress_partial') | flagBit('demand_incomplete') | flagBit('solar_unreported');
    const flags = flagsOfMask(mask);
    expect(flags).toEqual(['demand_incomplete', 'solar_unreported', 'stress_partial']);
    expect(Object.isFrozen(flags)).toBe(true);
    expect(flagsOfMask(mask)).toBe(flags);
    expect(flagsOfMask(0)).toEqual([]);
  });
});
