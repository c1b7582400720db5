/** Pickers and pieces several views share. */
import { REGION_LABELS, REGIONS, TARGETS, columnInfo, type Region } from '../api/catalog.js';
import { h, selectField } from '../lib/dom.js';
import { pick } from '../lib/route.js';
import type { ViewContext } from './view.js';

export const RANGES = ['7d', '30d', '90d', '365d'] as const;
export type RangeName = (typeof RANGES)[number];
const RANGE_LABELS: Record<RangeName, string> = {
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
  '365d': 'last year',
};
export const HOUR = 3_600_000;

export function rangeHours(range: RangeName): number {
  return Number(range.slice(0, -1)) * 24;
}

export function regionOf(ctx: ViewContext): Region {
  return pick(ctx.params, 'region', REGIONS, 'IE');
}

export function rangeOf(ctx: ViewContext, fallback: RangeName): RangeName {
  return pick(ctx.params, 'range', RANGES, fallback);
}

export function regionPicker(ctx: ViewContext, region: Region): HTMLElement {
  return selectField(
    'Region',
    'region',
    REGIONS.map((r) => ({ value: r, label: REGION_LABELS[r] })),
    region,
    (value) => ctx.update({ region: value }),
  );
}

export function rangePicker(ctx: ViewContext, range: RangeName, label = 'History'): HTMLElement {
  return selectField(
    label,
    'range',
    RANGES.map((r) => ({ value: r, label: RANGE_LABELS[r] })),
    range,
    (value) => ctx.update({ range: value }),
  );
}

export function targetPicker(ctx: ViewContext, targets: readonly string[], target: string): HTMLElement {
  const list = targets.length > 0 ? targets : TARGETS;
  return selectField(
    'Target',
    'target',
    list.map((t) => ({ value: t, label: `${columnInfo(t).label} (${t})` })),
    target,
    (value) => ctx.update({ target: value, model: undefined, version: undefined }),
  );
}

/** A section that shows "loading" until its content arrives (or its error box). */
export function section(title: string | null, ...children: HTMLElement[]): HTMLElement {
  return h('section', {}, title ? h('h2', {}, title) : null, ...children);
}

export function loading(what: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

export function card(
  label: string,
  value: string,
  unit = '',
  attrs: Record<string, string> = {},
): HTMLElement {
  return h(
    'div',
    { class: 'card', ...attrs },
    h('div', { class: 'label' }, label),
    h(
      'div',
      {},
      h('span', { class: value.length > 9 ? 'value long' : 'value' }, value),
      unit ? h('span', { class: 'unit' }, unit) : null,
    ),
  );
}
