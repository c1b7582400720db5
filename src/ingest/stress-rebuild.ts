/**
 * Recomputes the stress score, its band, its components, the `stress_partial` flag and the
 * stress-event labels (src/features/stress-events.ts) of every stored hour from the stored hourly
 * columns (no raw file is read), in one transaction: after a change of STRESS_WEIGHTS,
 * STRESS_ALERT_THRESHOLD (the bands), the STRESS_EVENT_* settings or of the formula, `dcgrid
 * features rebuild-stress` brings every row in
 * line, or changes nothing if it fails. Rows whose values do not change are not written.
 */
import { sql } from 'kysely';
import { REGIONS, type Config, type Region } from '../config/config.js';
import { flagBit, flagsOfMask, type FeatureFlag } from '../features/flags.js';
import {
  checkStressEventSettings,
  computeStressEvents,
  DEFAULT_STRESS_EVENTS,
  STRESS_EVENT_ALL_COLUMNS,
  STRESS_EVENT_LABELS,
  type StressEventSettings,
} from '../features/stress-events.js';
import {
  checkStressWeights,
  computeStress,
  STRESS_COMPONENT_COLUMNS,
  STRESS_COMPONENTS,
  stressBand,
  stressBandFloors,
  type StressInputs,
} from '../features/stress.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { BinaryCopyReader, binaryCopyChunks } from '../store/copy-binary.js';
import type { Store, StoreTransaction } from '../store/store.js';
import { lockForIngest } from './bulk-load.js';
import { FEATURES_HOURLY } from './features-store.js';

const INPUT_COLUMNS = [
  'net_load_mw',
  'renew_mw',
  'price_eur_mwh',
  'snsp',
  'ic_ewic_mw',
  'ic_moyle_mw',
  'ic_greenlink_mw',
] as const satisfies ReadonlyArray<keyof StressInputs>;
type InputColumn = (typeof INPUT_COLUMNS)[number];

const COMPONENT_COLUMNS = STRESS_COMPONENTS.map((c) => STRESS_COMPONENT_COLUMNS[c]);
const STAGE_COLUMNS = [
  'region',
  'ts_utc',
  'stress_score',
  'stress_band',
  ...COMPONENT_COLUMNS,
  ...STRESS_EVENT_ALL_COLUMNS,
  'flags',
] as const;
const UPDATED_COLUMNS = STAGE_COLUMNS.slice(2);

export interface RebuildStressOptions {
  weights: Config['STRESS_WEIGHTS'];
  /** STRESS_ALERT_THRESHOLD: stress_band is placed around it (stressBandFloors). */
  alertThreshold: Config['STRESS_ALERT_THRESHOLD'];
  /** Stress-event label settings (default: the settings' defaults). */
  events?: StressEventSettings;
  /** Regions to rebuild (default all). */
  regions?: readonly Region[];
  signal?: AbortSignal;
  /** Progress: a region is about to be rebuilt, or has been (with its hours and changed rows). */
  onRegion?: (region: Region, phase: 'start' | 'done', hours: number, changed: number) => void;
}

export interface RebuildStressResult {
  regions: Array<{ region: Region; hours: number; changed: number }>;
  seconds: number;
}

interface StoredFrame {
  inputs: StressInputs;
  /** Grid index of each stored row, in ts order. */
  rows: Int32Array;
  ts: Float64Array;
  flags: string[];
}

async function readFrame(tx: StoreTransaction, region: Region): Promise<StoredFrame | null> {
  const bytes = await tx.copyOut(
    `SELECT ts_utc, ${INPUT_COLUMNS.join(', ')}, array_to_string(flags, ',')
     FROM dcgrid.features_hourly WHERE region = '${region}' ORDER BY ts_utc`,
  );
  const reader = new BinaryCopyReader(bytes);
  const ts: number[] = [];
  const values: number[][] = INPUT_COLUMNS.map(() => []);
  const flags: string[] = [];
  while (reader.nextRow()) {
    ts.push(reader.timestamptz());
    for (const column of values) column.push(reader.float8());
    flags.push(reader.text() ?? '');
  }
  if (ts.length === 0) return null;
  const start = ts[0]!;
  const hours = Math.round((ts.at(-1)! - start) / HOUR_MS) + 1;
  const rows = Int32Array.from(ts, (t) => Math.round((t - start) / HOUR_MS));
  const grid = (i: number) => {
    const column = new Float64Array(hours).fill(Number.NaN);
    for (let r = 0; r < rows.length; r++) column[rows[r]!] = values[i]![r]!;
    return column;
  };
  const columns = Object.fromEntries(INPUT_COLUMNS.map((c, i) => [c, grid(i)])) as Record<
    InputColumn,
    Float64Array
  >;
  return { inputs: { start, ...columns }, rows, ts: Float64Array.from(ts), flags };
}

const PARTIAL = flagBit('stress_partial');
const KNOWN_FLAGS = new Set<string>(flagsOfMask(0xffffffff));

/** The row's flags with stress_partial set or cleared, in the canonical order. */
function withPartial(stored: string, partial: boolean, region: Region, ts: number): readonly FeatureFlag[] {
  let mask = 0;
  for (const flag of stored === '' ? [] : stored.split(',')) {
    if (!KNOWN_FLAGS.has(flag)) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `features_hourly ${region} ${new Date(ts).toISOString()}: unknown flag "${flag}"`,
      );
    }
    mask |= flagBit(flag as FeatureFlag);
  }
  return flagsOfMask(partial ? mask | PARTIAL : mask & ~PARTIAL);
}

async function rebuildRegion(
  tx: StoreTransaction,
  region: Region,
  weights: Config['STRESS_WEIGHTS'],
  alertThreshold: number,
  eventSettings: StressEventSettings,
): Promise<{ hours: number; changed: number } | null> {
  const frame = await readFrame(tx, region);
  if (!frame) return null;
  const { score, partial, components } = computeStress(frame.inputs, weights);
  const events = computeStressEvents(frame.inputs, eventSettings);
  const eventColumns = [...STRESS_EVENT_LABELS.map((l) => events[l]), events.event];
  const chunks = binaryCopyChunks(frame.rows.keys(), (b, i) => {
    const h = frame.rows[i]!;
    b.row(STAGE_COLUMNS.length);
    const value = score[h]!;
    b.text(region);
    b.timestamptz(frame.inputs.start + h * HOUR_MS);
    b.float8(Number.isNaN(value) ? null : value);
    b.text(stressBand(value, alertThreshold));
    for (const c of STRESS_COMPONENTS) {
      const v = components[c][h]!;
      b.float8(Number.isNaN(v) ? null : v);
    }
    for (const column of eventColumns) {
      const v = column[h]!;
      b.bool(Number.isNaN(v) ? null : v === 1);
    }
    b.textArray(withPartial(frame.flags[i]!, partial[h] === 1, region, frame.ts[i]!));
  });
  await sql`
    CREATE TEMP TABLE stress_stage (
      region text, ts_utc timestamptz, stress_score double precision, stress_band text,
      ${sql.join(COMPONENT_COLUMNS.map((c) => sql`${sql.ref(c)} double precision`))},
      ${sql.join(STRESS_EVENT_ALL_COLUMNS.map((c) => sql`${sql.ref(c)} boolean`))}, flags text[]
    ) ON COMMIT DROP`.execute(tx.db);
  await tx.copyIn('stress_stage', STAGE_COLUMNS, chunks, 'binary');
  const assignments = sql.join(UPDATED_COLUMNS.map((c) => sql`${sql.ref(c)} = s.${sql.ref(c)}`));
  const stored = sql.join(UPDATED_COLUMNS.map((c) => sql.ref(`f.${c}`)));
  const staged = sql.join(UPDATED_COLUMNS.map((c) => sql.ref(`s.${c}`)));
  const result = await sql`
    UPDATE dcgrid.features_hourly AS f SET ${assignments}, updated_at = now()
    FROM stress_stage s
    WHERE f.region = s.region AND f.ts_utc = s.ts_utc AND (${stored}) IS DISTINCT FROM (${staged})`.execute(
    tx.db,
  );
  await sql`DROP TABLE stress_stage`.execute(tx.db);
  return { hours: frame.rows.length, changed: Number(result.numAffectedRows ?? 0n) };
}

export async function rebuildStress(
  store: Store,
  options: RebuildStressOptions,
): Promise<RebuildStressResult> {
  checkStressWeights(options.weights);
  stressBandFloors(options.alertThreshold);
  const eventSettings = options.events ?? DEFAULT_STRESS_EVENTS;
  checkStressEventSettings(eventSettings);
  const started = performance.now();
  const regions = options.regions ?? REGIONS;
  const done = await store.transaction(async (tx) => {
    await lockForIngest(tx, [FEATURES_HOURLY.table]);
    const out: RebuildStressResult['regions'] = [];
    for (const region of regions) {
      if (options.signal?.aborted) {
        throw new DcgridError(ErrorCodes.INTERRUPTED, 'stress rebuild interrupted: nothing was written');
      }
      options.onRegion?.(region, 'start', 0, 0);
      const result = await rebuildRegion(tx, region, options.weights, options.alertThreshold, eventSettings);
      if (!result) continue;
      out.push({ region, ...result });
      options.onRegion?.(region, 'done', result.hours, result.changed);
    }
    return out;
  });
  return { regions: done, seconds: (performance.now() - started) / 1000 };
}
