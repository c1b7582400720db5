/**
 * Scheduling advisor: a flexible job (energy or power, duration, window, objective) goes to
 * POST /api/schedule; the answer is drawn on the price, carbon and stress forecasts with the chosen
 * hours highlighted beside the "start at the earliest start" window, with cost, carbon and stress
 * of both. The form lives in the URL, so a shared link recomputes the same answer.
 */
import { PALETTE, columnInfo, type Region } from '../api/catalog.js';
import {
  fetchForecast,
  postSchedule,
  type Estimate,
  type ForecastSeries,
  type Objective,
  type ScheduleAnswer,
  type ScheduleRequest,
} from '../api/endpoints.js';
import { renderChart } from '../charts/timeseries.js';
import { errorBox, h, table } from '../lib/dom.js';
import { fmtHour, fmtNumber } from '../lib/format.js';
import { pick } from '../lib/route.js';
import { HOUR, loading, regionOf, regionPicker } from './common.js';
import type { View, ViewContext } from './view.js';

const OBJECTIVES = ['price', 'carbon', 'stress', 'weighted'] as const;
const INPUTS: Array<{ target: string; objective: Objective }> = [
  { target: 'price_eur_mwh', objective: 'price' },
  { target: 'co2_intensity', objective: 'carbon' },
  { target: 'stress_score', objective: 'stress' },
];

/** "2024-11-01T10:00" (what datetime-local shows) for an epoch ms, read as UTC. */
const toInput = (t: number) => new Date(t).toISOString().slice(0, 16);
const fromInput = (text: string) => new Date(`${text}:00Z`).getTime();

interface FormState {
  region: Region;
  amountKind: 'energy' | 'power';
  amount: number;
  duration: number;
  start: string;
  deadline: string;
  objective: (typeof OBJECTIVES)[number];
  weights: { price: number; carbon: number; stress: number };
  split: boolean;
  blocks: number;
}

function readForm(ctx: ViewContext, origin: number): FormState {
  const p = ctx.params;
  const number = (key: string, fallback: number) => {
    const v = Number(p.get(key));
    return p.get(key) !== null && Number.isFinite(v) ? v : fallback;
  };
  const weights = (p.get('weights') ?? '1,0,0').split(',').map(Number);
  return {
    region: regionOf(ctx),
    amountKind: pick(p, 'kind', ['energy', 'power'], 'power'),
    amount: number('amount', 10),
    duration: number('duration', 4),
    start: p.get('start') ?? toInput(origin),
    deadline: p.get('deadline') ?? toInput(origin + 48 * HOUR),
    objective: pick(p, 'objective', OBJECTIVES, 'price'),
    weights: { price: weights[0] ?? 1, carbon: weights[1] ?? 0, stress: weights[2] ?? 0 },
    split: p.get('split') === '1',
    blocks: number('blocks', 2),
  };
}

function requestOf(form: FormState): ScheduleRequest {
  return {
    region: form.region,
    ...(form.amountKind === 'energy' ? { energyMwh: form.amount } : { powerMw: form.amount }),
    durationHours: form.duration,
    earliestStart: new Date(fromInput(form.start)).toISOString(),
    deadline: new Date(fromInput(form.deadline)).toISOString(),
    objective: form.objective === 'weighted' ? form.weights : form.objective,
    splittable: form.split,
    ...(form.split ? { maxBlocks: form.blocks } : {}),
  };
}

function input(label: string, name: string, attrs: Record<string, string | number | boolean>): HTMLElement {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label),
    h('input', { name, id: `f-${name}`, ...attrs }),
  );
}

function formElement(ctx: ViewContext, form: FormState): HTMLFormElement {
  const el = h(
    'form',
    { class: 'controls', 'aria-label': 'flexible job', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Where'), regionPicker(ctx, form.region)),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Job size'),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Given as'),
        h(
          'select',
          { name: 'kind' },
          h('option', { value: 'power', selected: form.amountKind === 'power' }, 'power (MW)'),
          h('option', { value: 'energy', selected: form.amountKind === 'energy' }, 'energy (MWh)'),
        ),
      ),
      input('Amount', 'amount', {
        type: 'number',
        min: 0.001,
        step: 'any',
        value: form.amount,
        required: true,
      }),
      input('Duration (h)', 'duration', {
        type: 'number',
        min: 1,
        max: 168,
        step: 1,
        value: form.duration,
        required: true,
      }),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Window (UTC)'),
      input('Earliest start', 'start', {
        type: 'datetime-local',
        step: 3600,
        value: form.start,
        required: true,
      }),
      input('Deadline', 'deadline', {
        type: 'datetime-local',
        step: 3600,
        value: form.deadline,
        required: true,
      }),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Objective'),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Minimise'),
        h(
          'select',
          { name: 'objective' },
          OBJECTIVES.map((o) =>
            h('option', { value: o, selected: o === form.objective }, o === 'weighted' ? 'weighted mix' : o),
          ),
        ),
      ),
      input('Price weight', 'w-price', { type: 'number', min: 0, step: 'any', value: form.weights.price }),
      input('Carbon weight', 'w-carbon', { type: 'number', min: 0, step: 'any', value: form.weights.carbon }),
      input('Stress weight', 'w-stress', { type: 'number', min: 0, step: 'any', value: form.weights.stress }),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Blocks'),
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Splittable into hourly blocks'),
        h('input', { type: 'checkbox', name: 'split', checked: form.split }),
      ),
      input('Max blocks', 'blocks', { type: 'number', min: 1, max: 168, step: 1, value: form.blocks }),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Find the best time'),
  );
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(el);
    const text = (key: string) => String(data.get(key) ?? '');
    ctx.update({
      kind: text('kind'),
      amount: text('amount'),
      duration: text('duration'),
      start: text('start').slice(0, 16),
      deadline: text('deadline').slice(0, 16),
      objective: text('objective'),
      weights: [text('w-price'), text('w-carbon'), text('w-stress')].map((w) => w || '0').join(','),
      split: data.get('split') ? '1' : undefined,
      blocks: text('blocks'),
      run: '1',
    });
  });
  return el;
}

function estimate(e: Estimate | null, digits: number): string {
  if (e === null) return '– (input missing)';
  return `${fmtNumber(e.p50, digits)} (P10-P90 ${fmtNumber(e.p10, digits)} to ${fmtNumber(e.p90, digits)})`;
}

function answerTable(answer: ScheduleAnswer): HTMLElement {
  const rows: Array<[string, Estimate | null, Estimate | null, number | null, number]> = [
    ['cost (EUR)', answer.chosen.costEur, answer.startNow.costEur, answer.saving.costEur, 0],
    ['carbon (kg CO2)', answer.chosen.carbonKg, answer.startNow.carbonKg, answer.saving.carbonKg, 0],
    ['mean stress (z)', answer.chosen.meanStress, answer.startNow.meanStress, answer.saving.meanStress, 2],
  ];
  return table(
    ['', 'recommended (P50)', 'start at earliest start (P50)', 'saving'],
    rows.map(([label, chosen, now, saving, digits]) => [
      label,
      estimate(chosen, digits),
      estimate(now, digits),
      h('span', { 'data-saving': label.split(' ')[0]! }, fmtNumber(saving, digits)),
    ]),
    { 'aria-label': 'scheduling answer', 'data-table': 'schedule' },
  );
}

function answerChart(
  ctx: ViewContext,
  forecast: ForecastSeries,
  target: string,
  answer: ScheduleAnswer,
): HTMLElement {
  const info = columnInfo(target);
  return ctx.keep(
    renderChart({
      id: `schedule-${forecast.region}-${target}`,
      title: `${info.label} forecast (${forecast.model} v${forecast.version}) with the chosen hours`,
      x: forecast.ts,
      xKind: 'time',
      yLabel: info.unit,
      series: [
        { key: 'p50', label: 'P50', values: forecast.p50, color: PALETTE.forecast, width: 2 },
        {
          key: 'p10',
          label: 'P10',
          values: forecast.p10,
          color: PALETTE.forecast,
          reducer: 'min',
          bandEdge: true,
        },
        {
          key: 'p90',
          label: 'P90',
          values: forecast.p90,
          color: PALETTE.forecast,
          reducer: 'max',
          bandEdge: true,
        },
      ],
      bands: [{ upper: 'p90', lower: 'p10', fill: PALETTE.band, label: 'P10-P90 band' }],
      xRanges: [
        {
          from: answer.startNowWindow.start,
          to: answer.startNowWindow.end,
          fill: PALETTE.now,
          label: 'start at earliest start',
        },
        ...answer.blocks.map((b) => ({
          from: b.start,
          to: b.end,
          fill: PALETTE.chosen,
          label: 'chosen hours',
        })),
      ],
      height: 200,
    }),
  );
}

export const advisorView: View = {
  title: 'Scheduling advisor',
  async render(ctx) {
    ctx.root.append(
      h('h1', {}, 'Scheduling advisor'),
      h(
        'p',
        { class: 'lead' },
        'When should a flexible job run? The advisor weighs the published day-ahead price where it is known and the champions’ forecasts of price, CO2 intensity and stress beyond.',
      ),
    );
    const body = h('div', {}, loading('the forecasts'));
    ctx.root.append(body);
    const region = regionOf(ctx);
    const forecasts = await Promise.allSettled(
      INPUTS.map((i) => fetchForecast({ region, target: i.target }, ctx.signal)),
    );
    const firstOk = forecasts.find(
      (f): f is PromiseFulfilledResult<ForecastSeries> => f.status === 'fulfilled',
    );
    const origin = firstOk ? firstOk.value.origin : Math.ceil(Date.now() / HOUR) * HOUR;
    const form = readForm(ctx, origin);
    const parts: HTMLElement[] = [formElement(ctx, form)];
    forecasts.forEach((f, i) => {
      if (f.status === 'rejected')
        parts.push(errorBox(`No ${INPUTS[i]!.target} forecast for ${region}`, f.reason));
    });
    body.replaceChildren(...parts);
    if (ctx.params.get('run') !== '1') return;

    const answerBox = h('div', { 'aria-live': 'polite' }, loading('the answer'));
    body.append(answerBox);
    let answer: ScheduleAnswer;
    try {
      answer = await postSchedule(requestOf(form), ctx.signal);
    } catch (error) {
      answerBox.replaceChildren(errorBox('The advisor could not answer', error));
      return;
    }
    const blocks = answer.blocks.map((b) => `${fmtHour(b.start)} to ${fmtHour(b.end)}`);
    answerBox.replaceChildren(
      h('h2', {}, 'Answer'),
      h(
        'p',
        { 'data-answer': 'blocks' },
        `Run ${blocks.length > 1 ? 'in these blocks' : 'from'}: ${blocks.join('; ')}`,
      ),
      answerTable(answer),
      ...forecasts.map((f, i) =>
        f.status === 'fulfilled' ? answerChart(ctx, f.value, INPUTS[i]!.target, answer) : h('span', {}),
      ),
      h('h2', {}, 'Which hours used which inputs'),
      table(
        ['input', 'from (UTC)', 'to (UTC)', 'source', 'model'],
        answer.sources.map((s) => [s.input, fmtHour(s.from), fmtHour(s.to), s.source, s.model ?? '–']),
        { 'aria-label': 'inputs used', 'data-table': 'sources' },
      ),
      answer.notes.length > 0
        ? h(
            'ul',
            { class: 'notes' },
            answer.notes.map((n) => h('li', {}, n)),
          )
        : h('span', {}),
    );
  },
};
