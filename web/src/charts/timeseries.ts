/**
 * One chart kind for every view: lines on a shared x axis (UTC hours or plain numbers), optional
 * P10-P90 bands between two series, shaded x ranges (a chosen window, the forecast period),
 * shaded y zones (stress bands), horizontal thresholds and vertical markers. Long series are cut to
 * min/max per pixel before drawing (lib/downsample.ts); the CSV button writes the full-resolution
 * values of the range shown.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { downloadCsv, seriesCsv, toCsv, type CsvCell } from '../lib/csv.js';
import { h } from '../lib/dom.js';
import { downsampleMinMax, type Reducer } from '../lib/downsample.js';
import { timeTickLabels } from '../lib/format.js';

export interface ChartSeries {
  key: string;
  label: string;
  values: ArrayLike<number>;
  color: string;
  width?: number;
  dash?: number[];
  /** How the series is cut to pixels: a line keeps min and max, a band's edges their extreme. */
  reducer?: Reducer;
  /** Drawn only as a band edge (no line of its own, no legend entry). */
  bandEdge?: boolean;
}

export interface ChartSpec {
  /** Identifies the chart in the page (data-chart) and names its CSV file. */
  id: string;
  title: string;
  x: ArrayLike<number>;
  /** 'time': x is epoch ms, drawn as UTC; 'number': plain values (e.g. horizon hours). */
  xKind: 'time' | 'number';
  xLabel?: string;
  yLabel: string;
  series: ChartSeries[];
  bands?: Array<{ upper: string; lower: string; fill: string; label: string }>;
  xRanges?: Array<{ from: number; to: number; fill: string; label: string }>;
  yZones?: Array<{ from: number; to: number; fill: string; label: string }>;
  thresholds?: Array<{ value: number; color: string; label: string }>;
  markers?: Array<{ at: number; color: string; label: string }>;
  height?: number;
}

export interface ChartHandle {
  element: HTMLElement;
  destroy(): void;
}

const PLOT_HEIGHT = 300;

function toSeconds(spec: ChartSpec, v: number): number {
  return spec.xKind === 'time' ? v / 1000 : v;
}

function nullable(values: ArrayLike<number>): Array<number | null> {
  return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
}

function chartData(spec: ChartSpec, width: number): uPlot.AlignedData {
  const reducers = spec.series.map((s) => s.reducer ?? 'minmax');
  const cut = downsampleMinMax(
    spec.x,
    spec.series.map((s) => s.values),
    reducers,
    Math.max(100, Math.round(width)),
  );
  const xs = Array.from(cut.x, (v) => toSeconds(spec, v));
  return [xs, ...cut.ys.map(nullable)];
}

function csvOf(spec: ChartSpec): string {
  if (spec.xKind === 'time') {
    return seriesCsv(
      spec.x,
      spec.series.map((s) => ({ name: s.key, values: s.values })),
    );
  }
  const rows: CsvCell[][] = [];
  for (let i = 0; i < spec.x.length; i++) rows.push([spec.x[i], ...spec.series.map((s) => s.values[i])]);
  return toCsv([spec.xLabel ?? 'x', ...spec.series.map((s) => s.key)], rows);
}

function drawOverlays(spec: ChartSpec): uPlot.Hooks.Arrays {
  const fillX = (u: uPlot, from: number, to: number, fill: string) => {
    const left = u.valToPos(toSeconds(spec, from), 'x', true);
    const right = u.valToPos(toSeconds(spec, to), 'x', true);
    const x0 = Math.max(u.bbox.left, Math.min(left, right));
    const x1 = Math.min(u.bbox.left + u.bbox.width, Math.max(left, right));
    if (x1 <= x0) return;
    u.ctx.fillStyle = fill;
    u.ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
  };
  return {
    drawClear: [
      (u) => {
        u.ctx.save();
        for (const zone of spec.yZones ?? []) {
          const top = u.valToPos(zone.to, 'y', true);
          const bottom = u.valToPos(zone.from, 'y', true);
          const y0 = Math.max(u.bbox.top, Math.min(top, bottom));
          const y1 = Math.min(u.bbox.top + u.bbox.height, Math.max(top, bottom));
          if (y1 <= y0) continue;
          u.ctx.fillStyle = zone.fill;
          u.ctx.fillRect(u.bbox.left, y0, u.bbox.width, y1 - y0);
        }
        for (const range of spec.xRanges ?? []) fillX(u, range.from, range.to, range.fill);
        u.ctx.restore();
      },
    ],
    draw: [
      (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        for (const t of spec.thresholds ?? []) {
          const y = u.valToPos(t.value, 'y', true);
          if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
          ctx.strokeStyle = t.color;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
          ctx.fillStyle = t.color;
          ctx.fillText(t.label, u.bbox.left + 4 * devicePixelRatio, y - 4 * devicePixelRatio);
        }
        for (const m of spec.markers ?? []) {
          const x = u.valToPos(toSeconds(spec, m.at), 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.strokeStyle = m.color;
          ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillStyle = m.color;
          ctx.fillText(m.label, x + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
        }
        ctx.restore();
      },
    ],
  };
}

function options(spec: ChartSpec, width: number): uPlot.Options {
  const index = new Map(spec.series.map((s, i) => [s.key, i + 1]));
  const bandIndex = (key: string): number => {
    const i = index.get(key);
    if (i === undefined) throw new Error(`chart ${spec.id}: band edge ${key} is not a series`);
    return i;
  };
  return {
    width,
    height: spec.height ?? PLOT_HEIGHT,
    ...(spec.xKind === 'time'
      ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') }
      : {}),
    scales: { x: { time: spec.xKind === 'time' } },
    series: [
      { label: spec.xKind === 'time' ? 'UTC' : (spec.xLabel ?? 'x') },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.bandEdge ? 'transparent' : s.color,
        width: s.bandEdge ? 0 : (s.width ?? 1.5),
        ...(s.dash ? { dash: s.dash } : {}),
        points: { show: false },
        spanGaps: false,
      })),
    ],
    bands: (spec.bands ?? []).map((b) => ({
      series: [bandIndex(b.upper), bandIndex(b.lower)],
      fill: b.fill,
    })),
    axes: [
      {
        stroke: '#1f2937',
        grid: { stroke: '#e5e7eb' },
        ...(spec.xLabel ? { label: spec.xLabel } : {}),
        ...(spec.xKind === 'time'
          ? {
              values: (u: uPlot, splits: number[]) =>
                timeTickLabels(splits, (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0)),
            }
          : {}),
      },
      { stroke: '#1f2937', grid: { stroke: '#e5e7eb' }, label: spec.yLabel, size: 64 },
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    hooks: drawOverlays(spec),
  };
}

/** Draws the chart into a new <figure> (title, CSV button, plot, key of the shaded areas). */
export function renderChart(spec: ChartSpec): ChartHandle {
  const plot = h('div', { class: 'plot', role: 'img', 'aria-label': spec.title });
  const download = h(
    'button',
    {
      type: 'button',
      class: 'csv',
      'data-csv': spec.id,
      onclick: () => downloadCsv(`${spec.id}.csv`, csvOf(spec)),
    },
    'Download CSV',
  );
  const keyItems = [
    ...(spec.bands ?? []).map((b) => ({ fill: b.fill, label: b.label })),
    ...(spec.xRanges ?? []).map((r) => ({ fill: r.fill, label: r.label })),
    ...(spec.yZones ?? []).map((z) => ({ fill: z.fill, label: z.label })),
    ...(spec.thresholds ?? []).map((t) => ({ fill: t.color, label: t.label })),
  ];
  const uniqueKey = [...new Map(keyItems.map((k) => [k.label, k])).values()];
  const element = h(
    'figure',
    {
      class: 'chart',
      'data-chart': spec.id,
      'data-series': spec.series
        .filter((s) => !s.bandEdge)
        .map((s) => s.key)
        .join(','),
      'data-bands': (spec.bands ?? []).map((b) => `${b.lower}-${b.upper}`).join(','),
      'data-points': spec.x.length,
    },
    h('figcaption', {}, h('span', { class: 'chart-title' }, spec.title), download),
    plot,
    uniqueKey.length > 0
      ? h(
          'ul',
          { class: 'chart-key' },
          uniqueKey.map((k) =>
            h('li', {}, h('span', { class: 'swatch', style: `background:${k.fill}` }), k.label),
          ),
        )
      : null,
  );

  let chart: uPlot | undefined;
  let lastWidth = 0;
  const draw = () => {
    const width = Math.max(280, Math.floor(plot.clientWidth));
    if (chart && Math.abs(width - lastWidth) < 2) return;
    lastWidth = width;
    if (chart) {
      chart.setSize({ width, height: spec.height ?? PLOT_HEIGHT });
      chart.setData(chartData(spec, width));
    } else {
      chart = new uPlot(options(spec, width), chartData(spec, width), plot);
      element.dataset.drawn = 'true';
    }
  };
  const observer = new ResizeObserver(() => draw());
  observer.observe(plot);
  return {
    element,
    destroy() {
      observer.disconnect();
      chart?.destroy();
    },
  };
}
