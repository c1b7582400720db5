/**
 * A store filled the way users fill theirs: demo raw files -> the real ingest -> the real pipeline
 * (backtest, train, register, forecast) for the targets the API serves and the advisor needs.
 * Seasonal naive keeps it to seconds; the code paths are the pipeline's own.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config/config.js';
import { runPipeline, type PipelineRequest } from '../../pipeline/pipeline.js';
import { openRegistry } from '../../registry/open.js';
import type { ModelRegistry } from '../../registry/registry.js';
import { writeDemoRawDir } from '../../sources/demo/generate.js';
import type { StoreKind } from '../../store/store.js';
import { connectPglite, type PgliteStore } from '../../store/pglite/connect.js';
import { migrateToLatest } from '../../store/migrate.js';
import { migrationProvider } from '../../store/migrations/index.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { openTracker } from '../../tracking/open.js';
import type { Tracker } from '../../tracking/tracker.js';

/** The demo data end here: the forecasts start at this hour. */
export const FIXTURE_TO = Date.UTC(2024, 10, 1);
export const FIXTURE_FROM = Date.UTC(2024, 8, 1);
export const FIXTURE_TARGETS = ['demand_mw', 'price_eur_mwh', 'co2_intensity', 'stress_score'] as const;

export interface ServedStore {
  store: TestStore;
  config: Config;
  registry: ModelRegistry;
  tracker: Tracker;
  /** The pipeline request used, to issue more forecasts or runs in tests. */
  request: PipelineRequest;
  dispose(): Promise<void>;
}

export function fixtureRequest(targets: readonly string[] = FIXTURE_TARGETS): PipelineRequest {
  return {
    region: 'IE',
    targets,
    models: ['snaive168'],
    horizon: 168,
    contextLength: 168,
    trainHours: 4 * 168,
    validationHours: 168,
    backtestWeeks: 1,
    seed: 7,
    params: {},
    ingest: {},
    resume: false,
  };
}

export async function createServedStore(
  kind: StoreKind,
  options: { targets?: readonly string[]; env?: Record<string, string> } = {},
): Promise<ServedStore> {
  if (kind === 'pglite' && options.targets === undefined) return createCachedPgliteStore(options.env ?? {});
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-serve-'));
  return fillStore(await createTestStore(kind), root, options);
}

async function fillStore(
  store: TestStore,
  root: string,
  options: { targets?: readonly string[]; env?: Record<string, string> },
): Promise<ServedStore> {
  const raw = join(root, 'raw');
  await writeDemoRawDir(raw, { from: FIXTURE_FROM, to: FIXTURE_TO });
  const config = fixtureConfig(root, options.env);
  const tracker = openTracker(config, store);
  const registry = openRegistry(config, store);
  const request = fixtureRequest(options.targets);
  await runPipeline({ config, store, tracker, registry }, request);
  return { store, config, registry, tracker, request, dispose: () => store.dispose() };
}

function fixtureConfig(root: string, env: Record<string, string> = {}): Config {
  return loadConfig(
    { DCGRID_HOME: join(root, 'home'), DCGRID_RAW_DIR: join(root, 'raw'), LOG_LEVEL: 'silent', ...env },
    { dotenv: false },
  );
}

/**
 * PGlite is slow to fill on a busy machine (about a minute): the filled database is kept in the
 * temp folder, keyed by this file's code, with its artifacts beside it (ARTIFACT_URI points there,
 * read-only for the tests), and each test file starts from a copy of the database.
 */
async function createCachedPgliteStore(env: Record<string, string>): Promise<ServedStore> {
  // Keyed by this file, the feature code that fills the columns, and the migrations.
  const hash = createHash('sha256');
  for (const file of [import.meta.url, new URL('../../features/stress.ts', import.meta.url)])
    hash.update(await readFile(new URL(file)).catch(() => Buffer.from(String(file))));
  hash.update(Object.keys(await migrationProvider.getMigrations()).join(','));
  const key = hash.digest('hex').slice(0, 12);
  const cacheDir = join(tmpdir(), `dcgrid-serve-fixture-${key}`);
  const dumpPath = join(cacheDir, 'db.tar');
  const artifactEnv = { ARTIFACT_URI: `file://${join(cacheDir, 'artifacts')}` };
  if (!existsSync(dumpPath))
    await withBuildLock(cacheDir, dumpPath, async () => {
      await rm(join(cacheDir, 'artifacts'), { recursive: true, force: true });
      const served = await fillStore(await createTestStore('pglite'), cacheDir, { env: artifactEnv });
      const dump = await (served.store as unknown as PgliteStore).dumpDataDir();
      await writeFile(`${dumpPath}.partial`, Buffer.from(await dump.arrayBuffer()));
      await served.dispose();
      await rename(`${dumpPath}.partial`, dumpPath);
    });
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-serve-'));
  await cp(join(cacheDir, 'raw'), join(root, 'raw'), { recursive: true });
  const pglite = await connectPglite({ loadDataDir: new Blob([await readFile(dumpPath)]) });
  await migrateToLatest(pglite.db);
  const store: TestStore = { ...pglite, url: undefined, dispose: () => pglite.close() };
  const config = fixtureConfig(root, { ...artifactEnv, ...env });
  return {
    store,
    config,
    registry: openRegistry(config, store),
    tracker: openTracker(config, store),
    request: fixtureRequest(),
    dispose: () => store.dispose(),
  };
}

/** One builder at a time across parallel test files; the others wait for its result. */
async function withBuildLock(dir: string, result: string, build: () => Promise<void>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, 'build.lock');
  for (;;) {
    if (existsSync(result)) return;
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(await readFile(lock, 'utf8').catch(() => '0'));
      if (holder > 0 && !isAlive(holder)) await rm(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (!existsSync(result)) await build();
  } finally {
    await rm(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
