import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const list = (scope: string) =>
  execFileSync('bash', ['scripts/install-deps.sh', 'list', scope], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

describe('one list of system packages and npm steps for machines and the image', () => {
  it('scopes every package of scripts/debian-packages.txt as runtime or test', () => {
    const lines = read('scripts/debian-packages.txt')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    for (const line of lines) expect(line).toMatch(/^[a-z0-9.+-]+\s+(runtime|test)$/);
    expect(list('runtime')).toEqual(['ca-certificates', 'libxgboost0']);
    expect(list('all')).toEqual(expect.arrayContaining([...list('runtime'), 'python3-xgboost']));
  });

  it('has the Dockerfile and setup.sh install only through scripts/install-deps.sh', () => {
    const dockerfile = read('Dockerfile');
    const setup = read('scripts/setup.sh');
    expect(dockerfile).toContain('install-deps.sh apt runtime');
    expect(dockerfile).toContain('install-deps.sh npm');
    expect(setup).toContain('install-deps.sh apt all');
    expect(setup).toContain('install-deps.sh npm');
    for (const text of [dockerfile, setup]) {
      expect(text).not.toMatch(/apt-get install|npm (ci|install)\b/);
    }
  });
});
