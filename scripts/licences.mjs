#!/usr/bin/env node
// Prints the licence of every installed production dependency (direct and transitive), read from
// each package's own package.json under node_modules, sorted by licence; exit 1 if one has none.
// Run: node scripts/licences.mjs [--json]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new globalThis.URL('..', import.meta.url));
const tree = JSON.parse(
  execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);

const found = new Map();
function walk(deps) {
  for (const [name, info] of Object.entries(deps ?? {})) {
    const key = `${name}@${info.version}`;
    if (found.has(key) || info.path === undefined) continue;
    let licence = 'UNKNOWN';
    try {
      const pkg = JSON.parse(readFileSync(join(info.path, 'package.json'), 'utf8'));
      licence =
        typeof pkg.license === 'string'
          ? pkg.license
          : (pkg.license?.type ?? pkg.licenses?.map((l) => l.type ?? l).join(' OR ') ?? 'UNKNOWN');
    } catch {
      licence = 'UNREADABLE';
    }
    found.set(key, licence);
    walk(info.dependencies);
  }
}
walk(tree.dependencies);

const rows = [...found].map(([pkg, licence]) => ({ pkg, licence }));
rows.sort((a, b) => a.licence.localeCompare(b.licence) || a.pkg.localeCompare(b.pkg));
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const counts = new Map();
  for (const r of rows) counts.set(r.licence, (counts.get(r.licence) ?? 0) + 1);
  for (const r of rows) process.stdout.write(`${r.licence.padEnd(28)} ${r.pkg}\n`);
  process.stdout.write(
    `\n${rows.length} production packages: ${[...counts].map(([l, n]) => `${l} ${n}`).join(', ')}\n`,
  );
}
process.exitCode = rows.some((r) => r.licence === 'UNKNOWN' || r.licence === 'UNREADABLE') ? 1 : 0;
