/**
 * The dashboard shell: navigation, the hash router and the render cycle. A view renders from its
 * URL parameters alone, so reloading or sharing a link gives the same view.
 */
import type { ChartHandle } from './charts/timeseries.js';
import { errorBox, h } from './lib/dom.js';
import { formatRoute, parseRoute, VIEWS, type ViewName } from './lib/route.js';
import { advisorView } from './views/advisor.js';
import { forecastView } from './views/forecast.js';
import { modelsView } from './views/models.js';
import { overviewView } from './views/overview.js';
import { qualityView } from './views/quality.js';
import { scenariosView } from './views/scenarios.js';
import { stressView } from './views/stress.js';
import type { View } from './views/view.js';

const views: Record<ViewName, View> = {
  overview: overviewView,
  forecast: forecastView,
  stress: stressView,
  advisor: advisorView,
  scenarios: scenariosView,
  models: modelsView,
  quality: qualityView,
};

const nav = document.getElementById('nav')!;
const main = document.getElementById('main')!;
let charts: ChartHandle[] = [];
let current: AbortController | undefined;

function renderNav(active: ViewName): void {
  nav.replaceChildren(
    ...VIEWS.map((name) =>
      h('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : undefined }, views[name].title),
    ),
  );
}

async function render(): Promise<void> {
  const { view, params } = parseRoute(location.hash);
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.picker;
  current?.abort();
  const controller = new AbortController();
  current = controller;
  for (const chart of charts) chart.destroy();
  charts = [];
  renderNav(view);
  document.title = `${views[view].title} · dcgrid`;
  main.dataset.view = view;
  main.dataset.state = 'loading';
  main.replaceChildren();
  try {
    await views[view].render({
      root: main,
      params,
      signal: controller.signal,
      update(patch) {
        const next = Object.fromEntries(parseRoute(location.hash).params);
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined) delete next[key];
          else next[key] = value;
        }
        location.hash = formatRoute(view, next);
      },
      keep(chart) {
        charts.push(chart);
        return chart.element;
      },
    });
    // Charts draw when their size is known (a ResizeObserver callback, before the next paint).
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    if (controller.signal.aborted) return;
    main.dataset.state = main.querySelector('.error') ? 'error' : 'ready';
    performance.mark(`dcgrid:${view}:${main.dataset.state}`);
  } catch (error) {
    if (controller.signal.aborted) return;
    for (const note of main.querySelectorAll('.loading')) note.remove();
    main.append(errorBox(`The ${views[view].title} view failed`, error));
    main.dataset.state = 'error';
  }
  if (focused) main.querySelector<HTMLElement>(`[data-picker="${focused}"]`)?.focus();
}

window.addEventListener('hashchange', () => void render());
void render();
