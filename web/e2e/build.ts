/** Builds the dashboard into a fresh folder, so a test never serves a stale web/dist. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

export async function buildDashboard(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'dcgrid-web-'));
  await build({
    configFile: resolve(import.meta.dirname, '../vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
