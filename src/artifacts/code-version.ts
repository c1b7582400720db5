/**
 * The code that produced a model: package.json's version and, where known, the git commit
 * (DCGRID_GIT_COMMIT for images built without .git, else `git rev-parse HEAD` in the checkout).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let cached: { version: string; gitCommit: string | null } | undefined;

export function codeVersion(): { version: string; gitCommit: string | null } {
  cached ??= { version: packageVersion(), gitCommit: gitCommit() };
  return cached;
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string | null {
  const fromEnv = process.env.DCGRID_GIT_COMMIT;
  if (fromEnv !== undefined && /^[0-9a-f]{7,40}$/.test(fromEnv)) return fromEnv;
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    });
    const commit = out.toString().trim();
    return /^[0-9a-f]{40}$/.test(commit) ? commit : null;
  } catch {
    return null;
  }
}
