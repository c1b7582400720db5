/**
 * Scenarios (capacity planning, docs/SCENARIOS.md): the stored studies, a form that runs a new one
 * (POST /api/scenarios, open like the advisor: it needs no token), and one study opened with its
 * scenarios beside the baseline: a daily chart of the maximum stress or the peak net load, the
 * side-by-side table, and which hours of which input came from observations or forecasts.
 * The URL holds the study shown and the chart's measure; the form's answer opens as `?study=<id>`.
 */
import { PALETTE, REGION_LABELS, REGIONS, type Region } from '../api/catalog.js';
import {
  fetchReport,
  fetchStudies,
  fetchStudy,
  postStudy,
  type ScenarioSummary,
  type Study,
  type StudyRequest,
} from '../api/endpoints.js';
import { renderChart } from '../charts/timeseries.js';
import { downloadCsv, toCsv, type CsvCell } from '../lib/csv.js';
import { emptyNote, errorBox, h, selectField, table } from '../lib/dom.js';
import { fmtHour, fmtNumber } from '../lib/format.js';
import { pick } from '../lib/route.js';
import { HOUR, loading } from './common.js';
import type { View, ViewContext } from './view.js';

const MEASURES = ['stress', 'netload'] as const;
type Measure = (typeof MEASURES)[number];
const DAY = 24 * HOUR;

/** The side-by-side table: label, CSV name, value of a summary, digits shown. */
const COLUMNS: Array<{
  label: string;
  key: string;
  value: (s: ScenarioSummary) => number | null;
  digits: number;
}> = [
  { label: 'added MW', key: 'add_mw', value: (s) => s.addMw, digits: 0 },
  { label: 'h normal', key: 'hours_normal', value: (s) => s.bandHours.normal, digits: 0 },
  { label: 'h elevated', key: 'hours_elevated', value: (s) => s.bandHours.elevated, digits: 0 },
  { label: 'h high', key: 'hours_high', value: (s) => s.bandHours.high, digits: 0 },
  { label: 'h critical', key: 'hours_critical', value: (s) => s.bandHours.critical, digits: 0 },
  { label: 'h ≥ threshold', key: 'hours_above_threshold', value: (s) => s.hoursAboveThreshold, digits: 0 },
  { label: 'peak net load MW', key: 'peak_net_load_mw', value: (s) => s.peakNetLoadMw, digits: 0 },
  { label: 'stress P50', key: 'stress_p50', value: (s) => s.stressP50, digits: 2 },
  { label: 'stress P90', key: 'stress_p90', value: (s) => s.stressP90, digits: 2 },
  { label: 'stress P99', key: 'stress_p99', value: (s) => s.stressP99, digits: 2 },
  { label: 'energy MWh', key: 'added_energy_mwh', value: (s) => s.addedEnergyMwh, digits: 0 },
  { label: 'cost EUR', key: 'cost_eur', value: (s) => s.costEur, digits: 0 },
  { label: 'EUR/MWh', key: 'avg_price_eur_mwh', value: (s) => s.avgPriceEurMwh, digits: 2 },
  { label: 'tCO2', key: 'carbon_t', value: (s) => s.carbonT, digits: 0 },
  { label: 'shifted MWh', key: 'flex_shifted_mwh', value: (s) => s.flex?.shiftedMwh ?? null, digits: 0 },
  { label: 'saved EUR', key: 'flex_saved_cost_eur', value: (s) => s.flex?.savedCostEur ?? null, digits: 0 },
  { label: 'saved tCO2', key: 'flex_saved_carbon_t', value: (s) => s.flex?.savedCarbonT ?? null, digits: 0 },
  {
    label: 'fewer h ≥ threshold',
    key: 'flex_fewer_hours_above_threshold',
    value: (s) => s.flex?.fewerHoursAboveThreshold ?? null,
    digits: 0,
  },
];

const INPUT_ORDER = [
  'demand_mw',
  'wind_mw',
  'solar_mw',
  'price_eur_mwh',
  'co2_intensity',
  'snsp',
  'ic_ewic_mw',
  'ic_moyle_mw',
  'ic_greenlink_mw',
  'dc_load_mw',
];

const toDate = (t: number | string) => new Date(t).toISOString().slice(0, 10);

function studyList(studies: Awaited<ReturnType<typeof fetchStudies>>, current: number | null): HTMLElement {
  if (studies.length === 0)
    return emptyNote('No studies stored yet: run one with the form below or `dcgrid scenario run`.');
  return table(
    ['study', 'region', 'period (UTC)', 'scenarios', 'made'],
    studies.map((s) => [
      h(
        'a',
        { href: `#/scenarios?study=${s.id}`, 'aria-current': s.id === current ? 'page' : undefined },
        `#${s.id} ${s.name}`,
      ),
      s.region,
      `${toDate(s.from)} to ${toDate(s.to)}`,
      s.scenarios,
      fmtHour(s.createdAt),
    ]),
    { 'aria-label': 'stored studies', 'data-table': 'studies' },
  );
}

function field(label: string, name: string, attrs: Record<string, string | number | boolean>): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), h('input', { name, ...attrs }));
}

/**
 * A study form: one scenario per profile ticked, all of the same size. The dates start at the week
 * before and the week after the end of the stored data (`dataEnd`), where the forecasts are.
 */
function studyForm(ctx: ViewContext, status: HTMLElement, dataEnd: number): HTMLFormElement {
  const today = Math.floor(dataEnd / DAY) * DAY;
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'new study', novalidate: true, 'data-form': 'study' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Where and when (UTC, end exclusive)'),
      field('Name', 'name', { type: 'text', value: 'dashboard study', required: true, maxlength: 120 }),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Region'),
        h(
          'select',
          { name: 'region' },
          REGIONS.map((r) => h('option', { value: r }, REGION_LABELS[r])),
        ),
      ),
      field('From', 'from', { type: 'date', value: toDate(today - 7 * DAY), required: true }),
      field('To', 'to', { type: 'date', value: toDate(today + 7 * DAY), required: true }),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Added data-centre load'),
      field('Size (MW)', 'addMw', { type: 'number', min: 1, step: 'any', value: 500, required: true }),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Flat'),
        h('input', { type: 'checkbox', name: 'flat', checked: true }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Diurnal'),
        h('input', { type: 'checkbox', name: 'diurnal' }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Flexible'),
        h('input', { type: 'checkbox', name: 'flexible', checked: true }),
      ),
      field('Flexible share (0-1)', 'share', { type: 'number', min: 0, max: 1, step: 0.05, value: 0.2 }),
      field('Max shift (h, 1-24)', 'maxShiftH', { type: 'number', min: 1, max: 24, step: 1, value: 24 }),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Move away from'),
        h(
          'select',
          { name: 'objective' },
          ['stress', 'price', 'carbon'].map((o) => h('option', { value: o }, o)),
        ),
      ),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Run the study'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (key: string) => String(data.get(key) ?? '');
    const addMw = Number(text('addMw'));
    const kinds = (['flat', 'diurnal', 'flexible'] as const).filter((k) => data.get(k));
    const request: StudyRequest = {
      name: text('name'),
      region: pick(new URLSearchParams({ r: text('region') }), 'r', REGIONS, 'IE') as Region,
      from: text('from'),
      to: text('to'),
      scenarios: kinds.map((kind) => ({
        name: `+${addMw} MW ${kind}`,
        addMw,
        profile:
          kind === 'flexible'
            ? {
                kind,
                share: Number(text('share')),
                maxShiftH: Number(text('maxShiftH')),
                objective: pick(
                  new URLSearchParams({ o: text('objective') }),
                  'o',
                  ['stress', 'price', 'carbon'],
                  'stress',
                ),
              }
            : { kind },
      })),
    };
    status.replaceChildren(loading('the study (a year takes about a second)'));
    postStudy(request, ctx.signal).then(
      (study) => ctx.update({ study: String(study.id) }),
      (error: unknown) => status.replaceChildren(errorBox('The study could not run', error)),
    );
  });
  return form;
}

function dailyChart(ctx: ViewContext, study: Study, measure: Measure): HTMLElement {
  const all = [study.results.baseline, ...study.results.scenarios];
  const x = study.results.baseline.daily.map((d) => Date.parse(`${d.day}T00:00:00Z`));
  const value = (d: { maxStress: number | null; peakNetLoadMw: number | null }) =>
    (measure === 'stress' ? d.maxStress : d.peakNetLoadMw) ?? Number.NaN;
  return ctx.keep(
    renderChart({
      id: `scenarios-${study.id}-${measure}`,
      title:
        measure === 'stress'
          ? `Daily maximum stress score, study #${study.id}`
          : `Daily peak net load, study #${study.id}`,
      x,
      xKind: 'time',
      yLabel: measure === 'stress' ? 'z' : 'MW',
      series: all.map((o, i) => ({
        key: o.summary.name,
        label: o.summary.name,
        values: o.daily.map(value),
        color: i === 0 ? PALETTE.observed : PALETTE.models[(i - 1) % PALETTE.models.length]!,
        width: i === 0 ? 2 : 1.5,
      })),
      thresholds:
        measure === 'stress'
          ? [
              {
                value: study.results.alertThreshold,
                color: PALETTE.threshold,
                label: `alert threshold ${study.results.alertThreshold}`,
              },
            ]
          : [],
      ...(study.results.inputs && study.results.inputs.horizonHours > 0
        ? {
            xRanges: [
              {
                from: Date.parse(study.results.inputs.observedTo),
                to: Date.parse(study.results.covered.to),
                fill: PALETTE.now,
                label: 'forecast horizon (inputs from forecasts)',
              },
            ],
          }
        : {}),
      height: 260,
    }),
  );
}

function summaryTable(study: Study): HTMLElement {
  const all = [study.results.baseline, ...study.results.scenarios].map((o) => o.summary);
  const csv = () =>
    toCsv(
      ['scenario', 'profile', ...COLUMNS.map((c) => c.key)],
      all.map((s): CsvCell[] => [s.name, s.profile, ...COLUMNS.map((c) => c.value(s))]),
    );
  return h(
    'section',
    {},
    h(
      'div',
      { class: 'region-head' },
      h('h2', {}, 'Side by side'),
      h(
        'button',
        {
          type: 'button',
          class: 'csv',
          'data-csv': `scenarios-${study.id}-summary`,
          onclick: () => downloadCsv(`scenarios-${study.id}-summary.csv`, csv()),
        },
        'Download CSV',
      ),
    ),
    table(
      ['scenario', 'profile', ...COLUMNS.map((c) => c.label)],
      all.map((s, row) => [
        s.name,
        s.profile,
        ...COLUMNS.map((c) =>
          h('span', { 'data-value': `${row}-${c.key}` }, fmtNumber(c.value(s), c.digits)),
        ),
      ]),
      { 'aria-label': 'scenarios beside the baseline', 'data-table': 'summary' },
    ),
  );
}

function inputsSection(study: Study): HTMLElement | null {
  const inputs = study.results.inputs;
  if (!inputs) return null;
  // The stored JSON does not keep the inputs' order: the replay's order, then any other.
  const order = (input: string) => {
    const i = INPUT_ORDER.indexOf(input);
    return i < 0 ? INPUT_ORDER.length : i;
  };
  const entries = Object.entries(inputs.sources).sort(
    ([a], [b]) => order(a) - order(b) || a.localeCompare(b),
  );
  const rows = entries.flatMap(([input, spans]) =>
    spans.map((s) => [
      input,
      fmtHour(s.from),
      fmtHour(s.to),
      s.hours,
      s.source,
      s.model ? `${s.model} v${s.version ?? '?'} (origin ${fmtHour(s.origin)})` : '–',
    ]),
  );
  const check = inputs.stressForecast;
  return h(
    'section',
    {},
    h('h2', {}, 'Which hours used which inputs'),
    h(
      'p',
      { 'data-value': 'horizon' },
      inputs.horizonHours > 0
        ? `${inputs.horizonHours} h of the period lie after the last observed hour (${fmtHour(inputs.observedTo)}): ` +
            'their inputs are the champions’ latest P50 forecasts, or the last observed week repeated where no champion forecasts the input.'
        : 'The whole period is history: every input is observed (or missing where the data have gaps).',
    ),
    check && check.meanAbsDiff !== null
      ? h(
          'p',
          { 'data-value': 'stress-check' },
          `On those hours the baseline stress recomputed from the inputs differs from the stress_score champion’s own forecast (${check.model} v${check.version}) by ${fmtNumber(check.meanAbsDiff, 2)} on average` +
            (check.withinP10P90 === null
              ? '.'
              : `; ${fmtNumber(check.withinP10P90 * 100, 0)} % of hours lie inside its P10-P90.`),
        )
      : null,
    inputs.tight
      ? h(
          'div',
          {},
          h(
            'p',
            {},
            'The same study with the forecast inputs at their stress-raising quantiles (demand P90, wind and solar P10, price and CO2 P90): a pessimistic bound, not a joint quantile.',
          ),
          table(
            ['scenario', 'h ≥ threshold', 'stress P99', 'peak net load MW', 'cost EUR'],
            inputs.tight.map((t, row) => [
              t.name,
              h(
                'span',
                { 'data-value': `tight-${row}-hours_above_threshold` },
                fmtNumber(t.hoursAboveThreshold, 0),
              ),
              fmtNumber(t.stressP99, 2),
              fmtNumber(t.peakNetLoadMw, 0),
              fmtNumber(t.costEur, 0),
            ]),
            { 'aria-label': 'pessimistic inputs', 'data-table': 'tight' },
          ),
        )
      : null,
    table(['input', 'from (UTC)', 'to (UTC)', 'hours', 'source', 'forecast'], rows, {
      'aria-label': 'inputs used',
      'data-table': 'sources',
    }),
  );
}

async function studyPanel(ctx: ViewContext, id: number, measure: Measure): Promise<HTMLElement> {
  let study: Study;
  try {
    study = await fetchStudy(id, ctx.signal);
  } catch (error) {
    return errorBox(`Study ${id} could not be loaded`, error);
  }
  const r = study.results;
  return h(
    'section',
    { 'data-study': study.id },
    h('h2', {}, `#${study.id} ${study.name} (${study.region})`),
    h(
      'p',
      { class: 'lead' },
      `Period with data ${fmtHour(r.covered.from)} to ${fmtHour(r.covered.to)}; alert threshold ${r.alertThreshold}; made ${fmtHour(study.createdAt)}.`,
    ),
    h(
      'div',
      { class: 'controls' },
      selectField(
        'Chart',
        'measure',
        [
          { value: 'stress', label: 'daily maximum stress' },
          { value: 'netload', label: 'daily peak net load' },
        ],
        measure,
        (value) => ctx.update({ measure: value }),
      ),
    ),
    dailyChart(ctx, study, measure),
    summaryTable(study),
    inputsSection(study),
  );
}

export const scenariosView: View = {
  title: 'Scenarios',
  async render(ctx) {
    ctx.root.append(
      h('h1', {}, 'Scenarios'),
      h(
        'p',
        { class: 'lead' },
        'Capacity planning: what a period looks like with more data-centre load, replayed with the ingest’s own stress code on history, or on the forecast horizon from the champions’ forecasts. Studies are stored and can be reopened.',
      ),
    );
    const body = h('div', {}, loading('the stored studies'));
    ctx.root.append(body);
    const idText = ctx.params.get('study');
    const id = idText !== null && /^\d+$/.test(idText) ? Number(idText) : null;
    const measure = pick(ctx.params, 'measure', MEASURES, 'stress');
    const [studies, panel, dataEnd] = await Promise.all([
      fetchStudies(ctx.signal).then(
        (list) => studyList(list, id),
        (error: unknown) => errorBox('The stored studies could not be loaded', error),
      ),
      id === null ? Promise.resolve(null) : studyPanel(ctx, id, measure),
      // Where the stored data end (the form's default dates); now when the report is unavailable.
      fetchReport(ctx.signal).then(
        (report) => {
          const ends = report.features.flatMap((f) => (f.to ? [Date.parse(f.to)] : []));
          return ends.length > 0 ? Math.max(...ends) : Date.now();
        },
        () => Date.now(),
      ),
    ]);
    const status = h('div', { 'aria-live': 'polite' });
    body.replaceChildren(
      ...(panel ? [panel] : []),
      h('h2', {}, 'Stored studies'),
      studies,
      h('h2', {}, 'Run a new study'),
      h(
        'p',
        {},
        'The same study from a terminal: ',
        h('code', {}, 'dcgrid scenario run --from DATE --to DATE --add-mw 500 --profile flat,flexible'),
        ' (docs/SCENARIOS.md).',
      ),
      studyForm(ctx, status, dataEnd),
      status,
    );
  },
};
