import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../lib/errors.js';
import { cleanErrorMessage, defaultLibraryCandidates, locateLibrary, xgbLibrary } from './library.js';

describe('XGBoost library location', () => {
  it('prefers XGBOOST_LIB and fails clearly when it points nowhere', () => {
    const installed = xgbLibrary().path;
    expect(locateLibrary({ XGBOOST_LIB: installed }, [])).toBe(installed);
    expect(() => locateLibrary({ XGBOOST_LIB: '/nonexistent/libxgboost.so' })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.XGBOOST,
        message: expect.stringContaining('/nonexistent/libxgboost.so'),
      }),
    );
  });

  it('names every place tried and how to install when the library is missing', () => {
    let message = '';
    try {
      locateLibrary({}, ['/nowhere/libxgboost.so.0', '/nowhere/libxgboost.dylib']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('/nowhere/libxgboost.so.0, /nowhere/libxgboost.dylib');
    expect(message).toContain('apt-get install libxgboost0');
    expect(message).toContain('brew install xgboost');
  });

  it('looks in the Debian multiarch and Homebrew locations', () => {
    expect(defaultLibraryCandidates('linux')).toContain('/usr/lib/x86_64-linux-gnu/libxgboost.so.0');
    expect(defaultLibraryCandidates('darwin')).toContain('/opt/homebrew/lib/libxgboost.dylib');
  });

  it('loads the installed library', () => {
    expect(xgbLibrary().version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('sets passive OpenMP waiting before loading, unless the user chose a policy', () => {
    const module = fileURLToPath(new URL('./library.ts', import.meta.url));
    const policyAfterLoad = (policy: string | undefined): string => {
      const env = { ...process.env };
      delete env.OMP_WAIT_POLICY;
      if (policy !== undefined) env.OMP_WAIT_POLICY = policy;
      const script = `import { xgbLibrary } from ${JSON.stringify(module)}; xgbLibrary(); console.log(process.env.OMP_WAIT_POLICY);`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      return run.stdout.trim();
    };
    expect(policyAfterLoad(undefined)).toBe('PASSIVE');
    expect(policyAfterLoad('ACTIVE')).toBe('ACTIVE');
  });

  it('strips the timestamp and native stack trace from library errors', () => {
    const raw =
      '[07:40:46] ./src/learner.cc:1510: Check failed: x (5 vs. 7) : Bad.\nStack trace:\n  [bt] (0) foo\n';
    expect(cleanErrorMessage(raw)).toBe('./src/learner.cc:1510: Check failed: x (5 vs. 7) : Bad.');
  });
});
