import { describe, expect, it } from 'vitest';
import { createOutput, renderTable } from './output.js';

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers and keeps four significant digits', () => {
    const text = renderTable([
      { model: 'xgb', mase: 0.7, mae: 142.83, n: 1344, when: new Date('2024-01-01T00:00:00Z') },
      { model: 'snaive168', mase: 1.96912, mae: null, n: 24, when: undefined },
    ]);
    expect(text.split('\n')).toEqual([
      'model       mase    mae     n  when',
      '---------  -----  -----  ----  --------------------',
      'xgb          0.7  142.8  1344  2024-01-01T00:00:00Z',
      'snaive168  1.969      -    24  -',
    ]);
    expect(renderTable([])).toBe('(no rows)');
  });
});

describe('createOutput', () => {
  it('prints either text for people or one JSON document', () => {
    let human = '';
    createOutput(false, (t) => (human += t)).result({ a: 1 }, (v) => (human += `a is ${v.a}\n`));
    let json = '';
    const out = createOutput(true, (t) => (json += t));
    out.info('not in JSON');
    out.result({ a: 1 });
    expect(human).toBe('a is 1\n');
    expect(JSON.parse(json)).toEqual({ a: 1 });
  });
});
