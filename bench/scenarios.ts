/**
 * Scenario replay benchmark on the real data: the latest full year of IE with +500 MW flat and
 * +500 MW flexible (20 % shiftable within the day), beside the baseline. Prints hours above the
 * alert threshold and P99 stress of each, and the time of one scenario's replay against the
 * baseline replay alone (the ingest's own feature and stress code on the same frame) in the same run.
 *   DATABASE_URL=postgres://... npx tsx bench/scenarios.ts [year]
 * The database must hold an ingest of ../shared/data/raw (`dcgrid ingest --raw-dir ../shared/data/raw`).
 */
import { loadConfig } from '../src/config/config.js';
import { parseStudy, type StudyDefinition } from '../src/scenarios/definition.js';
import { evaluateStudy, type ScenarioFrame } from '../src/scenarios/evaluate.js';
import { loadStudyFrame } from '../src/scenarios/study.js';
import { openStore } from '../src/store/open.js';

const config = loadConfig(process.env);
if (!config.DATABASE_URL) {
  console.error('set DATABASE_URL to a PostgreSQL database holding an ingest of ../shared/data/raw');
  process.exit(2);
}
const year = Number(process.argv[2] ?? 2023);
const settings = { weights: config.STRESS_WEIGHTS, alertThreshold: config.STRESS_ALERT_THRESHOLD };
const study = (scenarios: unknown[]): StudyDefinition =>
  parseStudy({ name: `IE ${year}`, region: 'IE', from: `${year}-01-01`, to: `${year + 1}-01-01`, scenarios });
const flat = { name: '+500 MW flat', addMw: 500 };
const flexible = {
  name: '+500 MW flexible',
  addMw: 500,
  profile: { kind: 'flexible', share: 0.2, maxShiftH: 24 },
};

function time(frame: ScenarioFrame, definition: StudyDefinition, repeat: number): number[] {
  const seconds: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    evaluateStudy(frame, definition, settings);
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds.sort((a, b) => a - b);
}

const store = await openStore(config);
try {
  const full = study([flat, flexible]);
  const t0 = performance.now();
  const { frame } = await loadStudyFrame(store, full);
  const loadSeconds = (performance.now() - t0) / 1000;
  const outcome = evaluateStudy(frame, full, settings);
  console.log(
    `IE ${year}, alert threshold ${settings.alertThreshold}; frame ${frame.ts.length} hours read in ${loadSeconds.toFixed(2)} s`,
  );
  console.table(
    [outcome.baseline, ...outcome.scenarios].map(({ summary: s }) => ({
      scenario: s.name,
      'hours >= threshold': s.hoursAboveThreshold,
      'stress P99': Number(s.stressP99?.toFixed(2)),
      'peak net load MW': Math.round(s.peakNetLoadMw ?? Number.NaN),
      'cost EUR m': Number((s.costEur / 1e6).toFixed(1)),
      'shifted MWh': s.flex ? Math.round(s.flex.shiftedMwh) : '',
      'saved EUR m': s.flex ? Number((s.flex.savedCostEur / 1e6).toFixed(2)) : '',
    })),
  );
  // The replay of one scenario computes the baseline and the scenario: two feature + stress passes.
  const baselineOnly = time(frame, study([{ name: 'tiny', addMw: 0.001 }]), 5);
  const one = time(frame, study([flat]), 5);
  const flex = time(frame, study([flexible]), 5);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
  console.table([
    {
      run: 'baseline + a negligible scenario (reference)',
      'median s': median(baselineOnly).toFixed(3),
      'best s': baselineOnly[0]!.toFixed(3),
    },
    { run: '+500 MW flat', 'median s': median(one).toFixed(3), 'best s': one[0]!.toFixed(3) },
    {
      run: '+500 MW flexible (with its flat counterpart)',
      'median s': median(flex).toFixed(3),
      'best s': flex[0]!.toFixed(3),
    },
  ]);
  console.log(
    `target: one scenario of a year under 2 s: ${median(one) < 2 ? 'met' : 'missed'} (median ${median(one).toFixed(2)} s, machine load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
  );
} finally {
  await store.close();
}
