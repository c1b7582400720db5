/**
 * The API routes the dashboard reads (issue 8 / docs/API.md), each turned into the columns the
 * views draw. This is the only file that knows the answers' JSON shapes.
 */
import { getJson, postJson } from './client.js';
import { TARGETS, type Region } from './catalog.js';

const HOUR = 3_600_000;

const ms = (text: string | null | undefined): number | null => (text ? new Date(text).getTime() : null);
const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

// ---- /api/forecast -------------------------------------------------------------------------

interface ForecastAnswer {
  region: Region;
  target: string;
  model: string;
  version: number;
  unit: string;
  alias: string;
  origin: string;
  issuedAt: string;
  lastObserved: string | null;
  points: Array<{ ts: string; p10: number | null; p50: number | null; p90: number | null }>;
}

export interface ForecastSeries {
  region: Region;
  target: string;
  model: string;
  version: number;
  unit: string;
  alias: string;
  origin: number;
  issuedAt: number;
  lastObserved: number | null;
  ts: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

export async function fetchForecast(
  query: { region: Region; target: string; model?: string | undefined; version?: string | undefined },
  signal?: AbortSignal,
): Promise<ForecastSeries> {
  const a = await getJson<ForecastAnswer>('/api/forecast', query, signal);
  return {
    region: a.region,
    target: a.target,
    model: a.model,
    version: a.version,
    origin: ms(a.origin)!,
    issuedAt: ms(a.issuedAt)!,
    lastObserved: ms(a.lastObserved),
    unit: a.unit,
    alias: a.alias,
    ts: a.points.map((p) => ms(p.ts)!),
    p10: a.points.map((p) => num(p.p10)),
    p50: a.points.map((p) => num(p.p50)),
    p90: a.points.map((p) => num(p.p90)),
  };
}

// ---- /api/features -------------------------------------------------------------------------

interface FeaturesPage {
  rows: Array<Record<string, unknown> & { ts_utc: string }>;
  /** The next page's URL (same query, later `from`), null on the last page. */
  next: string | null;
}

/** Hourly feature columns on a contiguous grid [from, to) (missing hours as NaN / null). */
export interface FeatureFrame {
  ts: number[];
  numeric: Record<string, number[]>;
  text: Record<string, Array<string | null>>;
}

/** The largest page the route gives: a year of hours in one request. */
const FEATURE_PAGE = 10_000;

export async function fetchFeatures(
  query: { region: Region; from: number; to: number; columns: readonly string[] },
  signal?: AbortSignal,
): Promise<FeatureFrame> {
  const hours = Math.max(0, Math.round((query.to - query.from) / HOUR));
  const ts = Array.from({ length: hours }, (_, i) => query.from + i * HOUR);
  const numeric: Record<string, number[]> = {};
  const text: Record<string, Array<string | null>> = {};
  for (const c of query.columns) {
    numeric[c] = new Array<number>(hours).fill(Number.NaN);
    text[c] = new Array<string | null>(hours).fill(null);
  }
  let page = await getJson<FeaturesPage>(
    '/api/features',
    {
      region: query.region,
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      columns: query.columns.join(','),
      limit: FEATURE_PAGE,
    },
    signal,
  );
  for (;;) {
    for (const row of page.rows) {
      const i = Math.round((ms(row.ts_utc)! - query.from) / HOUR);
      if (i < 0 || i >= hours) continue;
      for (const c of query.columns) {
        const v = row[c];
        if (typeof v === 'number') numeric[c]![i] = v;
        else if (typeof v === 'string') text[c]![i] = v;
      }
    }
    if (!page.next) break;
    page = await getJson<FeaturesPage>(page.next, {}, signal);
  }
  return { ts, numeric, text };
}

// ---- /api/stress/alerts --------------------------------------------------------------------

export interface StressComponentPart {
  name: string;
  value: number | null;
  contribution: number | null;
}

export interface StressAlert {
  ts: number;
  kind: 'observed' | 'forecast';
  /** Observed score, or the forecast's P50. */
  score: number | null;
  p10: number | null;
  p90: number | null;
  band: string | null;
  /** Forecast hours: "expected" (P50 at or over) or "possible" (only P90). */
  level: string | null;
  /** Observed hours: the components that pushed the score up, largest first. */
  drivers: StressComponentPart[];
  /** Forecast hours: P(stress_event) from the event classifier; null without one (and for observed hours). */
  eventProbability: number | null;
}

export interface StressAlerts {
  region: Region;
  threshold: number;
  bands: { elevated: number; high: number; critical: number };
  lastObserved: number | null;
  alerts: StressAlert[];
  /** Why there are no forecast alerts, when no stress forecast exists. */
  forecastMissing: string | null;
  /** The event classifier behind the probabilities, or why there is none. */
  events: { model: string; version: number; alertProbability: number } | { missing: string };
}

interface AlertsAnswer {
  region: Region;
  threshold: number;
  bands: { elevated: number; high: number; critical: number };
  lastObserved: string | null;
  observed: Array<{
    ts: string;
    score: number;
    band: string;
    partial: boolean;
    components: Record<string, { value: number | null; contribution: number | null }>;
    drivers: string[];
  }>;
  forecast:
    | {
        model: string;
        version: number;
        origin: string;
        issuedAt: string;
        hours: Array<{
          ts: string;
          p10: number | null;
          p50: number | null;
          p90: number | null;
          band: string | null;
          level: string;
          eventProbability: number | null;
        }>;
      }
    | { missing: string };
  events: { model: string; version: number; alertProbability: number } | { missing: string };
}

export async function fetchAlerts(
  query: { region: Region; threshold?: number | undefined; from?: number; to?: number },
  signal?: AbortSignal,
): Promise<StressAlerts> {
  const a = await getJson<AlertsAnswer>(
    '/api/stress/alerts',
    {
      region: query.region,
      threshold: query.threshold,
      from: query.from === undefined ? undefined : new Date(query.from).toISOString(),
      to: query.to === undefined ? undefined : new Date(query.to).toISOString(),
    },
    signal,
  );
  const observed: StressAlert[] = a.observed.map((o) => ({
    ts: ms(o.ts)!,
    kind: 'observed',
    score: o.score,
    p10: null,
    p90: null,
    band: o.band,
    level: null,
    drivers: o.drivers.map((name) => ({
      name,
      ...(o.components[name] ?? { value: null, contribution: null }),
    })),
    eventProbability: null,
  }));
  const forecast: StressAlert[] =
    'missing' in a.forecast
      ? []
      : a.forecast.hours.map((f) => ({
          ts: ms(f.ts)!,
          kind: 'forecast',
          score: f.p50,
          p10: f.p10,
          p90: f.p90,
          band: f.band,
          level: f.level,
          drivers: [],
          eventProbability: f.eventProbability ?? null,
        }));
  return {
    region: a.region,
    threshold: a.threshold,
    bands: a.bands,
    lastObserved: ms(a.lastObserved),
    alerts: [...observed, ...forecast],
    forecastMissing: 'missing' in a.forecast ? a.forecast.missing : null,
    events: a.events ?? { missing: 'the API gives no event probabilities' },
  };
}

// ---- /api/models, /api/backtests, /api/data/report, /api/schedule: filled in against the real routes.

// ---- /api/models ---------------------------------------------------------------------------

export interface ModelVersion {
  region: Region;
  target: string;
  model: string;
  version: number;
  alias: 'champion' | 'challenger' | 'retired';
  createdAt: number;
  runId: string | null;
  metrics: Record<string, number | null>;
}

export interface ModelEvent {
  region: Region;
  target: string;
  model: string;
  version: number;
  action: string;
  alias: string;
  reason: string;
  createdAt: number;
}

export interface Registry {
  versions: ModelVersion[];
  events: ModelEvent[];
}

interface ModelsAnswer {
  champions: Array<Omit<ModelVersion, 'createdAt'> & { createdAt: string }>;
  versions: Array<Omit<ModelVersion, 'createdAt'> & { createdAt: string }>;
  history: Array<Omit<ModelEvent, 'createdAt'> & { createdAt: string }>;
}

/** The registry of one region (all its targets). */
export async function fetchRegistry(query: { region: Region }, signal?: AbortSignal): Promise<Registry> {
  const a = await getJson<ModelsAnswer>('/api/models', query, signal);
  return {
    versions: a.versions.map((m) => ({ ...m, createdAt: ms(m.createdAt)! })),
    events: a.history.map((e) => ({ ...e, createdAt: ms(e.createdAt)! })),
  };
}

/** Targets of a region that have a champion, in the catalog's order. */
export function championTargets(registry: Registry, region: Region): string[] {
  const rank = (t: string) => {
    const i = (TARGETS as readonly string[]).indexOf(t);
    return i < 0 ? TARGETS.length : i;
  };
  return [
    ...new Set(
      registry.versions.filter((v) => v.region === region && v.alias === 'champion').map((v) => v.target),
    ),
  ].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

// ---- /api/backtests ------------------------------------------------------------------------

export type Metrics = Record<string, number>;

export interface Backtest {
  backtestId: string;
  createdAt: number;
  region: Region;
  target: string;
  horizon: number;
  origins: number;
  firstOrigin: number;
  lastOrigin: number;
  /** Per model: the pooled scopes and the metrics of each horizon hour (index h - 1). */
  models: Record<string, { dayAhead: Metrics; weekAhead: Metrics; byHorizon: Metrics[] }>;
}

interface BacktestsAnswer {
  backtests: Array<{
    backtestId: string;
    createdAt: string;
    region: Region;
    target: string;
    horizonHours: number;
    origins: number;
    firstOrigin: string;
    lastOrigin: string;
    metrics: Record<
      string,
      {
        dayAhead: Record<string, number | null>;
        weekAhead: Record<string, number | null>;
        /** metric -> values for horizon hours 1..H */
        byHorizon: Record<string, Array<number | null>>;
      }
    >;
  }>;
}

const metricsOf = (m: Record<string, number | null> | undefined): Metrics =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, num(v)]));

/** Per horizon hour, every metric: the route gives metric -> hours. */
function byHour(byMetric: Record<string, Array<number | null>>, horizon: number): Metrics[] {
  return Array.from({ length: horizon }, (_, h) =>
    Object.fromEntries(Object.entries(byMetric).map(([metric, values]) => [metric, num(values[h])])),
  );
}

/** Backtests of a region and target, newest first (the last 50: each model's latest is among them). */
export async function fetchBacktests(
  query: { region: Region; target: string },
  signal?: AbortSignal,
): Promise<Backtest[]> {
  const a = await getJson<BacktestsAnswer>('/api/backtests', { ...query, limit: 50 }, signal);
  return a.backtests.map((b) => ({
    backtestId: b.backtestId,
    createdAt: ms(b.createdAt)!,
    region: b.region,
    target: b.target,
    horizon: b.horizonHours,
    origins: b.origins,
    firstOrigin: ms(b.firstOrigin)!,
    lastOrigin: ms(b.lastOrigin)!,
    models: Object.fromEntries(
      Object.entries(b.metrics).map(([model, m]) => [
        model,
        {
          dayAhead: metricsOf(m.dayAhead),
          weekAhead: metricsOf(m.weekAhead),
          byHorizon: byHour(m.byHorizon, b.horizonHours),
        },
      ]),
    ),
  }));
}

/** The newest backtest that scored `model`. */
export function latestBacktestOf(backtests: readonly Backtest[], model: string): Backtest | undefined {
  return backtests.find((b) => model in b.models);
}

// ---- POST /api/schedule --------------------------------------------------------------------

export type Objective = 'price' | 'carbon' | 'stress';

export interface ScheduleRequest {
  region: Region;
  /** One of energy (MWh over the job) or power (MW while it runs). */
  energyMwh?: number;
  powerMw?: number;
  durationHours: number;
  earliestStart: string;
  deadline: string;
  objective: Objective | { price: number; carbon: number; stress: number };
  splittable: boolean;
  maxBlocks?: number;
}

export interface Estimate {
  p10: number;
  p50: number;
  p90: number;
}

export interface Outcome {
  costEur: Estimate | null;
  carbonKg: Estimate | null;
  meanStress: Estimate | null;
}

export interface ScheduleAnswer {
  blocks: Array<{ start: number; end: number }>;
  chosen: Outcome;
  startNow: Outcome;
  startNowWindow: { start: number; end: number };
  /** Start-at-earliest P50 minus the recommendation's P50 (null where an input is missing). */
  saving: { costEur: number | null; carbonKg: number | null; meanStress: number | null };
  /** Which hours used what: known day-ahead prices, observations, a champion's forecast. */
  sources: Array<{ input: string; from: number; to: number; source: string; model: string | null }>;
  notes: string[];
}

interface SpanJson {
  from: string;
  to: string;
  source: string;
  model?: string;
  version?: number;
  origin?: string;
}
interface ScheduleJson {
  recommendation: {
    start: string;
    end: string;
    blocks: Array<{ start: string; end: string }>;
    expected: Outcome;
  };
  startAtEarliest: { start: string; end: string; expected: Outcome };
  saving: ScheduleAnswer['saving'];
  inputs: Record<string, SpanJson[]>;
  notes: string[];
}

export async function postSchedule(request: ScheduleRequest, signal?: AbortSignal): Promise<ScheduleAnswer> {
  const a = await postJson<ScheduleJson>('/api/schedule', request, signal);
  return {
    blocks: a.recommendation.blocks.map((b) => ({ start: ms(b.start)!, end: ms(b.end)! })),
    chosen: a.recommendation.expected,
    startNow: a.startAtEarliest.expected,
    startNowWindow: { start: ms(a.startAtEarliest.start)!, end: ms(a.startAtEarliest.end)! },
    saving: a.saving,
    sources: Object.entries(a.inputs).flatMap(([input, spans]) =>
      spans.map((s) => ({
        input,
        from: ms(s.from)!,
        to: ms(s.to)!,
        source: s.source,
        model: s.model === undefined ? null : `${s.model} v${s.version ?? '?'} (origin ${s.origin ?? '?'})`,
      })),
    ),
    notes: a.notes,
  };
}

// ---- /api/scenarios (capacity-planning studies) ---------------------------------------------

export interface StudyListItem {
  id: number;
  createdAt: string;
  name: string;
  region: Region;
  from: string;
  to: string;
  scenarios: number;
}

export interface ScenarioSummary {
  name: string;
  profile: 'baseline' | 'flat' | 'diurnal' | 'flexible';
  addMw: number;
  hours: number;
  bandHours: { normal: number; elevated: number; high: number; critical: number };
  hoursAboveThreshold: number;
  peakNetLoadMw: number | null;
  stressP50: number | null;
  stressP90: number | null;
  stressP99: number | null;
  meanRenewableShare: number | null;
  meanDcShare: number | null;
  addedEnergyMwh: number;
  costEur: number;
  pricedShare: number | null;
  avgPriceEurMwh: number | null;
  carbonT: number;
  flex: {
    shiftedMwh: number;
    savedCostEur: number;
    savedCarbonT: number;
    fewerHoursAboveThreshold: number;
  } | null;
}

export interface StudyOutcome {
  summary: ScenarioSummary;
  daily: Array<{ day: string; maxStress: number | null; peakNetLoadMw: number | null }>;
}

export interface InputSpan {
  from: string;
  to: string;
  hours: number;
  source: 'observed' | 'forecast' | 'seasonal-naive' | 'missing';
  model?: string;
  version?: number;
  origin?: string;
}

export interface Study {
  id: number;
  createdAt: string;
  name: string;
  region: Region;
  definition: { from: number; to: number };
  results: {
    alertThreshold: number;
    covered: { from: string; to: string };
    baseline: StudyOutcome;
    scenarios: StudyOutcome[];
    inputs?: {
      observedTo: string;
      horizonHours: number;
      sources: Record<string, InputSpan[]>;
      stressForecast: {
        model: string;
        version: number;
        origin: string;
        hours: number;
        meanAbsDiff: number | null;
        withinP10P90: number | null;
      } | null;
      tight?: Array<{
        name: string;
        hoursAboveThreshold: number;
        peakNetLoadMw: number | null;
        stressP99: number | null;
        costEur: number;
      }> | null;
    };
  };
}

export interface StudyRequest {
  name: string;
  region: Region;
  from: string;
  to: string;
  scenarios: Array<{
    name: string;
    addMw: number;
    profile:
      | { kind: 'flat' }
      | { kind: 'diurnal' }
      | { kind: 'flexible'; share: number; maxShiftH: number; objective: 'stress' | 'price' | 'carbon' };
  }>;
}

export async function fetchStudies(signal?: AbortSignal): Promise<StudyListItem[]> {
  return (await getJson<{ studies: StudyListItem[] }>('/api/scenarios', { limit: 100 }, signal)).studies;
}

export function fetchStudy(id: number, signal?: AbortSignal): Promise<Study> {
  return getJson<Study>(`/api/scenarios/${id}`, {}, signal);
}

export function postStudy(request: StudyRequest, signal?: AbortSignal): Promise<Study> {
  return postJson<Study>('/api/scenarios', request, signal);
}

// ---- model details (XGBoost importance, TFT variable weights) -------------------------------

export interface ModelDetails {
  model: string;
  version: number;
  /** XGBoost: gain importance of one quantile's booster (the median's when there is one). */
  importance?: { quantile: string; weights: Record<string, number> };
  /** TFT: variable-selection weights by part (static, encoder, decoder). */
  variableWeights?: Record<string, Record<string, number>>;
}

interface VersionAnswer {
  model: string;
  version: number;
  details?: {
    gainImportance?: Record<string, Record<string, number>>;
    variableSelection?: Record<string, unknown>;
  };
}

function pickQuantile(
  byQuantile: Record<string, Record<string, number>>,
): { quantile: string; weights: Record<string, number> } | undefined {
  const keys = Object.keys(byQuantile);
  const quantile = keys.find((k) => /0?\.5|p50|median/i.test(k)) ?? keys[0];
  return quantile === undefined ? undefined : { quantile, weights: byQuantile[quantile]! };
}

function weightsOf(value: unknown): Record<string, number> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter(
    (e): e is [string, number] => typeof e[1] === 'number',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export async function fetchModelDetails(
  v: Pick<ModelVersion, 'region' | 'target' | 'model' | 'version'>,
  signal?: AbortSignal,
): Promise<ModelDetails> {
  const a = await getJson<VersionAnswer>(
    `/api/models/${encodeURIComponent(v.region)}/${encodeURIComponent(v.target)}/${encodeURIComponent(v.model)}/${v.version}`,
    {},
    signal,
  );
  const importance = a.details?.gainImportance ? pickQuantile(a.details.gainImportance) : undefined;
  const variableWeights: Record<string, Record<string, number>> = {};
  for (const part of ['static', 'encoder', 'decoder']) {
    const w = weightsOf(a.details?.variableSelection?.[part]);
    if (w) variableWeights[part] = w;
  }
  return {
    model: a.model,
    version: a.version,
    ...(importance ? { importance } : {}),
    ...(Object.keys(variableWeights).length > 0 ? { variableWeights } : {}),
  };
}

// ---- /api/data/report ----------------------------------------------------------------------

export interface SeriesQuality {
  source: string;
  series: string;
  region: string;
  first: string | null;
  last: string | null;
  coverage: number;
  values: number;
  missing: number;
  gaps: number;
  longestGaps: Array<{ from: string; hours: number }>;
  outliers: number;
  outlierExamples: Array<{ ts: string; value: number }>;
}

export interface FeatureQualityJson {
  region: Region;
  from: string | null;
  to: string | null;
  rows: number;
  disagreements: Array<{
    column: string;
    region: string;
    winner: string;
    other: string;
    overlapHours: number;
    meanDiff: number;
    meanAbsDiff: number;
    maxAbsDiff: number;
  }>;
  flaggedHours: Record<string, number>;
  columns: Array<{ column: string; hoursWithValue: number; coverage: number }>;
  notes: string[];
}

export interface IngestReport {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  status: string;
  mode: string;
  dataNote: string;
  rawDir: string | null;
  files: number;
  series: SeriesQuality[];
  totals: Record<string, number>;
  dstDays: string[];
  flatFills: Array<{
    source: string;
    series: string;
    region?: string;
    from: string | number;
    hours: number;
    value: number;
  }>;
  features: FeatureQualityJson[];
  rowsWritten: Record<string, number>;
  error: string | null;
}

interface ReportAnswer {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  mode: string;
  rowsWritten: number;
  error: string | null;
  report: null | {
    dataNote: string;
    rawDir: string | null;
    files: unknown[];
    series: SeriesQuality[];
    totals: Record<string, number>;
    dstDays: string[];
    flatFills: IngestReport['flatFills'];
    features: FeatureQualityJson[];
    rowsWritten: Record<string, number>;
  };
}

export async function fetchReport(signal?: AbortSignal): Promise<IngestReport> {
  const a = await getJson<ReportAnswer>('/api/data/report', {}, signal);
  // A failed ingest stores what it had: a report may lack parts.
  const r: Partial<ReportAnswer['report']> = a.report ?? {};
  return {
    id: a.id,
    startedAt: ms(a.startedAt)!,
    finishedAt: ms(a.finishedAt),
    status: a.status,
    mode: a.mode,
    error: a.error,
    dataNote: r.dataNote ?? '',
    rawDir: r.rawDir ?? null,
    files: r.files?.length ?? 0,
    series: r.series ?? [],
    totals: r.totals ?? {},
    dstDays: r.dstDays ?? [],
    flatFills: r.flatFills ?? [],
    features: r.features ?? [],
    rowsWritten: r.rowsWritten ?? {},
  };
}
