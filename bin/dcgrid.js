#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build` and scripts/setup.sh) when it is at least as
// new as every source file; otherwise the TypeScript sources through tsx (a checkout being edited).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
const stamp = join(root, 'dist', '.build-stamp');

/** Newest modification time of the .ts files under `dir` (a few hundred stats: milliseconds). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = join(root, 'src');
const fresh =
  existsSync(compiled) &&
  existsSync(stamp) &&
  (!existsSync(sources) || statSync(stamp).mtimeMs >= newestSource(sources));
if (fresh) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href);
}
