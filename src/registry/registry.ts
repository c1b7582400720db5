/**
 * The model registry: versions per (region, target, model), their artifacts, and who is champion.
 *
 * Registering holds a database lock for its (region, target) from choosing the version number to
 * the commit, so two registrations never race for a number or for the champion. Inside that
 * transaction the artifacts are written completely (marker last) before the version row is
 * inserted and the alias decided; a failure anywhere rolls the rows back and deletes the new
 * artifacts, and a process killed mid-way leaves no row (the server drops its transaction) and, at
 * worst, an incomplete version no reader accepts. When MLflow is configured it is updated inside
 * the same transaction, so the registry never claims a mirror that MLflow does not have.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { FORECAST_TARGETS } from '../config/config.js';
import { codeVersion } from '../artifacts/code-version.js';
import { checkKey, describeKey } from '../artifacts/layout.js';
import type { ModelMetadata, VersionInfo } from '../artifacts/metadata.js';
import type { ArtifactStore, VersionKey } from '../artifacts/store.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { ModelFiles } from '../models/types.js';
import type { Database } from '../store/database.js';
import type { ModelsTable } from '../store/schema/mlops.js';
import type { Store } from '../store/store.js';
import { decideAlias, describeVersion, storableMetrics } from './decision.js';
import type { MlflowRegistryMirror } from './mlflow-mirror.js';
import type {
  AliasChange,
  Champion,
  ModelAlias,
  ModelEvent,
  ModelVersionRecord,
  RegisterInput,
  RegisterResult,
  SeriesKey,
  VersionRef,
} from './types.js';
import { STRESS_EVENT_COLUMN } from '../features/stress-events.js';

export interface RegistryOptions {
  /** PROMOTION_METRIC: lower is better. */
  promotionMetric: string;
  mirror?: MlflowRegistryMirror;
  /** Defaults to package.json's version and the git commit. */
  code?: { version: string; gitCommit: string | null };
}

type Db = Kysely<Database>;

/**
 * The metric that decides promotion for a target: PROMOTION_METRIC, except for the 0/1 event
 * target, whose classifiers are compared on their day-ahead Brier score (lower is better).
 */
export function promotionMetricFor(target: string, configured: string): string {
  return target === STRESS_EVENT_COLUMN ? 'day_ahead_brier' : configured;
}

const MAX_VERSION_SKIPS = 1000;

export class ModelRegistry {
  constructor(
    readonly store: Store,
    readonly artifacts: ArtifactStore,
    readonly options: RegistryOptions,
  ) {}

  async registerModelVersion(input: RegisterInput): Promise<RegisterResult> {
    const series = { region: input.region, target: input.target };
    checkTarget(input.target);
    checkKey({ ...series, model: input.model, version: 1 });
    const metrics = storableMetrics(input.backtestMetrics);
    let written: VersionKey | undefined;
    // Once COMMIT is sent, or MLflow may hold a version pointing at the files, they must stay.
    let filesMayBeReferenced = false;
    const mayBeReferenced = () => (filesMayBeReferenced = true);
    try {
      const result = await this.store.transaction(async ({ db }) => {
        await lockSeries(db, series);
        if (input.runId) await checkRunMayRegister(db, input.runId);
        const key = await this.#nextVersion(db, { ...series, model: input.model });
        const info = this.#versionInfo(input, metrics);
        const stored = await this.artifacts.writeVersion(key, input.files, info, {
          ...(input.signal ? { signal: input.signal } : {}),
          ...(input.onFile ? { onFile: input.onFile } : {}),
        });
        written = key;

        const champion = await selectChampion(db, series);
        const decision = decideAlias(
          series,
          promotionMetricFor(series.target, this.options.promotionMetric),
          metrics,
          champion,
        );
        if (decision.alias === 'champion' && champion !== undefined) {
          await moveAlias(
            db,
            champion,
            'demote',
            'challenger',
            `replaced by ${describeVersion(key)}`,
            input.runId,
          );
        }
        await db
          .insertInto('dcgrid.models')
          .values({
            ...key,
            alias: decision.alias,
            artifact_uri: stored.uri,
            run_id: input.runId ?? null,
            metrics: JSON.stringify(metrics),
            metadata: JSON.stringify(stored.metadata),
            data_fingerprint: input.metadata.dataFingerprint,
          })
          .execute();
        await insertEvent(db, key, 'register', decision.alias, decision.reason, input.runId);
        if (input.runId) await indexRunArtifacts(db, input.runId, stored.uri, key, stored.metadata);

        let mlflow: RegisterResult['mlflow'];
        if (this.options.mirror !== undefined) {
          mlflow = await this.#mirrorVersion(
            db,
            key,
            decision,
            stored.uri,
            input,
            stored.metadata,
            mayBeReferenced,
          );
          await this.#syncAliases(db, series);
        }
        mayBeReferenced();
        return {
          ...key,
          ...decision,
          artifactUri: stored.uri,
          ...(decision.alias === 'champion' && champion ? { replaced: refOf(champion) } : {}),
          ...(mlflow ? { mlflow } : {}),
        } satisfies RegisterResult;
      });
      return result;
    } catch (error) {
      // Nothing references the new files yet: remove them. Otherwise (the commit's outcome is
      // unknown, or MLflow may have a version pointing at them) they stay: a complete version
      // without a row is harmless, and the next registration skips its number.
      if (written !== undefined && !filesMayBeReferenced) {
        await this.artifacts.deleteVersion(written).catch(() => undefined);
      }
      throw error;
    }
  }

  /** Makes a registered version champion of its (region, target); the old champion becomes challenger. */
  async promote(ref: VersionRef, reason = 'promoted by hand'): Promise<AliasChange> {
    const series = { region: ref.region, target: ref.target };
    return this.store.transaction(async ({ db }) => {
      await lockSeries(db, series);
      const row = await selectVersion(db, ref);
      if (row === undefined) {
        throw new DcgridError(ErrorCodes.NOT_FOUND, `${describeKey(ref)} is not registered`);
      }
      if (row.alias === 'champion') {
        return {
          ...series,
          champion: refOf(row),
          changed: false,
          reason: `${describeVersion(row)} is champion already`,
        };
      }
      await this.#checkArtifacts(row);
      const previous = await selectChampion(db, series);
      if (previous !== undefined) {
        await moveAlias(db, previous, 'demote', 'challenger', `${describeVersion(row)} promoted`, null);
      }
      await moveAlias(db, row, 'promote', 'champion', reason, null);
      if (this.options.mirror !== undefined) await this.#syncAliases(db, series);
      return {
        ...series,
        champion: refOf(row),
        ...(previous ? { previous: { ...refOf(previous), alias: 'challenger' as const } } : {}),
        changed: true,
        reason,
      };
    });
  }

  /**
   * Puts back the previous champion (from the alias history, skipping versions that were rolled
   * back from or whose files are gone); the current champion is retired.
   */
  async rollback(series: SeriesKey): Promise<AliasChange> {
    return this.store.transaction(async ({ db }) => {
      await lockSeries(db, series);
      const current = await selectChampion(db, series);
      if (current === undefined) {
        throw new DcgridError(
          ErrorCodes.REGISTRY,
          `${series.region}/${series.target} has no champion to roll back from`,
        );
      }
      const history = await db
        .selectFrom('dcgrid.model_events as e')
        .innerJoin('dcgrid.models as m', (join) =>
          join
            .onRef('m.region', '=', 'e.region')
            .onRef('m.target', '=', 'e.target')
            .onRef('m.model', '=', 'e.model')
            .onRef('m.version', '=', 'e.version'),
        )
        .selectAll('m')
        .where('e.region', '=', series.region)
        .where('e.target', '=', series.target)
        .where('e.alias', '=', 'champion')
        .orderBy('e.event_id', 'desc')
        .execute();
      let target: ModelVersionRecord | undefined;
      for (const row of history.map(toRecord)) {
        if (sameVersion(row, current) || row.alias === 'retired') continue;
        if (await this.artifacts.hasVersion(row)) {
          target = row;
          break;
        }
      }
      if (target === undefined) {
        throw new DcgridError(
          ErrorCodes.REGISTRY,
          `${series.region}/${series.target}: no earlier champion to roll back to (current: ${describeVersion(current)})`,
        );
      }
      const reason = `rolled back from ${describeVersion(current)} to ${describeVersion(target)}`;
      await moveAlias(db, current, 'rollback', 'retired', reason, null);
      await moveAlias(db, target, 'rollback', 'champion', reason, null);
      if (this.options.mirror !== undefined) await this.#syncAliases(db, series);
      return {
        ...series,
        champion: refOf(target),
        previous: { ...refOf(current), alias: 'retired' },
        changed: true,
        reason,
      };
    });
  }

  async list(filter: Partial<VersionRef> & { alias?: ModelAlias } = {}): Promise<ModelVersionRecord[]> {
    let query = this.store.db.selectFrom('dcgrid.models').selectAll();
    if (filter.region !== undefined) query = query.where('region', '=', filter.region);
    if (filter.target !== undefined) query = query.where('target', '=', filter.target);
    if (filter.model !== undefined) query = query.where('model', '=', filter.model);
    if (filter.version !== undefined) query = query.where('version', '=', filter.version);
    if (filter.alias !== undefined) query = query.where('alias', '=', filter.alias);
    const rows = await query
      .orderBy('region')
      .orderBy('target')
      .orderBy('model')
      .orderBy('version', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  /** The champion of a (region, target): where its files are and its metadata, or undefined. */
  async getChampion(series: SeriesKey): Promise<Champion | undefined> {
    const row = await this.store.db
      .selectFrom('dcgrid.models')
      .selectAll()
      .where('region', '=', series.region)
      .where('target', '=', series.target)
      .where('alias', '=', 'champion')
      .executeTakeFirst();
    return row === undefined ? undefined : { ...toRecord(row), metadata: row.metadata as ModelMetadata };
  }

  /** A version's files, verified, from the configured artifact store. */
  async loadVersion(
    ref: VersionRef,
  ): Promise<{ record: ModelVersionRecord; files: ModelFiles; metadata: ModelMetadata }> {
    const [record] = await this.list(ref);
    if (record === undefined)
      throw new DcgridError(ErrorCodes.NOT_FOUND, `${describeKey(ref)} is not registered`);
    if (!record.artifactUri.startsWith(this.artifacts.rootUri)) {
      throw new DcgridError(
        ErrorCodes.ARTIFACT,
        `${describeKey(ref)} is stored at ${record.artifactUri}, outside the configured artifact store ${this.artifacts.rootUri}`,
      );
    }
    return { record, ...(await this.artifacts.readVersion(ref)) };
  }

  /** The alias history of a (region, target), newest first. */
  async history(series: SeriesKey): Promise<ModelEvent[]> {
    const rows = await this.store.db
      .selectFrom('dcgrid.model_events')
      .selectAll()
      .where('region', '=', series.region)
      .where('target', '=', series.target)
      .orderBy('event_id', 'desc')
      .execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      region: r.region as SeriesKey['region'],
      target: r.target,
      model: r.model,
      version: r.version,
      action: r.action,
      alias: r.alias,
      reason: r.reason,
      runId: r.run_id,
      createdAt: r.created_at,
    }));
  }

  async #nextVersion(db: Db, model: Omit<VersionKey, 'version'>): Promise<VersionKey> {
    const { max } = await db
      .selectFrom('dcgrid.models')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('region', '=', model.region)
      .where('target', '=', model.target)
      .where('model', '=', model.model)
      .executeTakeFirstOrThrow();
    let version = Number(max ?? 0) + 1;
    // A complete version without a row: its registration died after writing the files. Skip it.
    for (let skips = 0; await this.artifacts.hasVersion({ ...model, version }); skips++) {
      if (skips >= MAX_VERSION_SKIPS) {
        throw new DcgridError(
          ErrorCodes.REGISTRY,
          `${describeKey({ ...model, version })}: too many unregistered versions in the store`,
        );
      }
      version += 1;
    }
    return { ...model, version };
  }

  #versionInfo(input: RegisterInput, metrics: Record<string, number | null>): VersionInfo {
    const m = input.metadata;
    return {
      runId: input.runId ?? null,
      createdAt: new Date().toISOString(),
      features: m.features,
      params: m.params,
      ...(m.horizon !== undefined ? { horizon: m.horizon } : {}),
      ...(m.contextLength !== undefined ? { contextLength: m.contextLength } : {}),
      ...(m.quantiles !== undefined ? { quantiles: m.quantiles } : {}),
      trainingWindow:
        m.trainingWindow === null
          ? null
          : {
              from: new Date(m.trainingWindow.from).toISOString(),
              to: new Date(m.trainingWindow.to).toISOString(),
            },
      metrics,
      dataFingerprint: m.dataFingerprint,
      code: this.options.code ?? codeVersion(),
      ...(m.details !== undefined ? { details: m.details } : {}),
    };
  }

  async #checkArtifacts(ref: VersionRef): Promise<void> {
    if (!(await this.artifacts.hasVersion(ref))) {
      throw new DcgridError(
        ErrorCodes.REGISTRY,
        `${describeKey(ref)}: its artifacts are missing from ${this.artifacts.description}; it cannot be champion`,
      );
    }
  }

  async #mirrorVersion(
    db: Db,
    key: VersionKey,
    decision: { alias: ModelAlias; reason: string },
    artifactUri: string,
    input: RegisterInput,
    metadata: ModelMetadata,
    onCreatingVersion: () => void,
  ): Promise<{ name: string; version: string }> {
    const run = input.runId
      ? await db
          .selectFrom('dcgrid.runs')
          .select('mlflow_run_id')
          .where('run_id', '=', input.runId)
          .executeTakeFirst()
      : undefined;
    const runArtifacts = input.runId
      ? await db
          .selectFrom('dcgrid.run_artifacts')
          .select(['path', 'uri', 'size_bytes', 'sha256'])
          .where('run_id', '=', input.runId)
          .orderBy('path')
          .execute()
      : [];
    const mirrored = await this.options.mirror!.registerVersion({
      ...key,
      alias: decision.alias,
      artifactUri,
      files: input.files,
      metadataBytes: new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`),
      dataFingerprint: input.metadata.dataFingerprint,
      mlflowRunId: run?.mlflow_run_id ?? null,
      runArtifacts: runArtifacts.map((a) => ({
        path: a.path,
        uri: a.uri,
        sizeBytes: Number(a.size_bytes),
        sha256: a.sha256,
      })),
      reason: decision.reason,
      onCreatingVersion,
    });
    await db
      .updateTable('dcgrid.models')
      .set({ mlflow_name: mirrored.name, mlflow_version: mirrored.version })
      .where('region', '=', key.region)
      .where('target', '=', key.target)
      .where('model', '=', key.model)
      .where('version', '=', key.version)
      .execute();
    return mirrored;
  }

  async #syncAliases(db: Db, series: SeriesKey): Promise<void> {
    const mirrored = await db
      .selectFrom('dcgrid.models')
      .select(['alias', 'mlflow_version', 'created_at', 'version'])
      .where('region', '=', series.region)
      .where('target', '=', series.target)
      .where('mlflow_version', 'is not', null)
      .where('alias', 'in', ['champion', 'challenger'])
      .orderBy('created_at', 'desc')
      .orderBy('version', 'desc')
      .execute();
    const champion = mirrored.find((r) => r.alias === 'champion')?.mlflow_version ?? undefined;
    const challenger = mirrored.find((r) => r.alias === 'challenger')?.mlflow_version ?? undefined;
    await this.options.mirror!.syncAliases(series, {
      ...(champion !== undefined ? { champion } : {}),
      ...(challenger !== undefined ? { challenger } : {}),
    });
  }
}

function checkTarget(target: string): void {
  if (!(FORECAST_TARGETS as readonly string[]).includes(target)) {
    throw new DcgridError(
      ErrorCodes.REGISTRY,
      `unknown target "${target}" (one of ${FORECAST_TARGETS.join(', ')})`,
    );
  }
}

/** Serialises registry changes of one (region, target) until the transaction ends. */
async function lockSeries(db: Db, series: SeriesKey): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('dcgrid.models'), hashtext(${`${series.region}/${series.target}`}))`.execute(
    db,
  );
}

async function checkRunMayRegister(db: Db, runId: string): Promise<void> {
  const run = await db
    .selectFrom('dcgrid.runs')
    .select(['status', 'error'])
    .where('run_id', '=', runId)
    .executeTakeFirst();
  if (run === undefined) throw new DcgridError(ErrorCodes.REGISTRY, `run ${runId} does not exist`);
  if (run.status === 'FAILED' || run.status === 'KILLED') {
    throw new DcgridError(
      ErrorCodes.REGISTRY,
      `run ${runId} is ${run.status}${run.error ? ` (${run.error})` : ''}: a failed run cannot register a model`,
    );
  }
}

async function selectChampion(db: Db, series: SeriesKey): Promise<ModelVersionRecord | undefined> {
  const row = await db
    .selectFrom('dcgrid.models')
    .selectAll()
    .where('region', '=', series.region)
    .where('target', '=', series.target)
    .where('alias', '=', 'champion')
    .executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

async function selectVersion(db: Db, ref: VersionRef): Promise<ModelVersionRecord | undefined> {
  const row = await db
    .selectFrom('dcgrid.models')
    .selectAll()
    .where('region', '=', ref.region)
    .where('target', '=', ref.target)
    .where('model', '=', ref.model)
    .where('version', '=', ref.version)
    .executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

async function setAlias(db: Db, ref: VersionRef, alias: ModelAlias): Promise<void> {
  await db
    .updateTable('dcgrid.models')
    .set({ alias })
    .where('region', '=', ref.region)
    .where('target', '=', ref.target)
    .where('model', '=', ref.model)
    .where('version', '=', ref.version)
    .execute();
}

async function insertEvent(
  db: Db,
  ref: VersionRef,
  action: ModelEvent['action'],
  alias: ModelAlias,
  reason: string,
  runId: string | null | undefined,
): Promise<void> {
  await db
    .insertInto('dcgrid.model_events')
    .values({ ...refOf(ref), action, alias, reason, run_id: runId ?? null })
    .execute();
}

/** Gives a stored version a new alias and records why in its history. */
async function moveAlias(
  db: Db,
  ref: VersionRef,
  action: ModelEvent['action'],
  alias: ModelAlias,
  reason: string,
  runId: string | null | undefined,
): Promise<void> {
  await setAlias(db, ref, alias);
  await insertEvent(db, ref, action, alias, reason, runId);
}

async function indexRunArtifacts(
  db: Db,
  runId: string,
  uri: string,
  key: VersionKey,
  metadata: ModelMetadata,
): Promise<void> {
  const folder = `models/${key.model}/v${key.version}`;
  await db
    .insertInto('dcgrid.run_artifacts')
    .values(
      metadata.files.map((f) => ({
        run_id: runId,
        path: `${folder}/${f.name}`,
        uri: `${uri}${f.name}`,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
      })),
    )
    .onConflict((oc) => oc.columns(['run_id', 'path']).doNothing())
    .execute();
}

/** A row of dcgrid.models; the metadata column is not needed for a record. */
type ModelRow = Omit<Selectable<ModelsTable>, 'metadata'>;

function toRecord(row: ModelRow): ModelVersionRecord {
  return {
    region: row.region as SeriesKey['region'],
    target: row.target,
    model: row.model,
    version: row.version,
    alias: row.alias,
    artifactUri: row.artifact_uri,
    runId: row.run_id,
    metrics: row.metrics as Record<string, number | null>,
    dataFingerprint: row.data_fingerprint,
    createdAt: row.created_at,
    mlflowName: row.mlflow_name,
    mlflowVersion: row.mlflow_version,
  };
}

function refOf(v: VersionRef): VersionRef {
  return { region: v.region, target: v.target, model: v.model, version: v.version };
}

function sameVersion(a: VersionRef, b: VersionRef): boolean {
  return a.region === b.region && a.target === b.target && a.model === b.model && a.version === b.version;
}
