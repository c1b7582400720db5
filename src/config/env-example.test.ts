import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('names every setting the config module reads, and its values are valid', () => {
    const configSource = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');
    const schemaKeys = [...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    const documented = new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(schemaKeys.length).toBeGreaterThan(20);
    expect(schemaKeys.filter((key) => !documented.has(key))).toEqual([]);
    const values = Object.fromEntries(
      [...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const config = loadConfig(values, { dotenv: false, cwd: '/tmp' });
    const defaults = loadConfig({}, { dotenv: false, cwd: '/tmp' });
    // Same values; only the record of which settings were given differs.
    expect({ ...config, given: undefined }).toEqual({ ...defaults, given: undefined });
    expect(defaults.given.size).toBe(0);
  });
});
