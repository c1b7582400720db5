/**
 * Data quality: the latest ingest report: what was read, coverage and gaps per series, clock-change
 * days, flat fills set to missing, outliers, source disagreements, flagged hours per region.
 */
import { fetchReport, type IngestReport } from '../api/endpoints.js';
import { downloadCsv, toCsv } from '../lib/csv.js';
import { emptyNote, h, table } from '../lib/dom.js';
import { fmtHour, fmtNumber, fmtPercent } from '../lib/format.js';
import { card, loading } from './common.js';
import type { View } from './view.js';

function seriesTable(report: IngestReport): HTMLElement {
  const header = [
    'source',
    'series',
    'region',
    'first',
    'last',
    'coverage',
    'missing',
    'gaps',
    'longest gap (h)',
    'outliers',
  ];
  const rows = report.series.map((s) => [
    s.source,
    s.series,
    s.region,
    s.first ? fmtHour(s.first) : '–',
    s.last ? fmtHour(s.last) : '–',
    fmtPercent(s.coverage, 2),
    fmtNumber(s.missing),
    fmtNumber(s.gaps),
    s.longestGaps[0] ? `${fmtNumber(s.longestGaps[0].hours, 1)} from ${fmtHour(s.longestGaps[0].from)}` : '–',
    fmtNumber(s.outliers),
  ]);
  const csv = () =>
    downloadCsv(
      `ingest-${report.id}-series.csv`,
      toCsv(
        header,
        report.series.map((s) => [
          s.source,
          s.series,
          s.region,
          s.first,
          s.last,
          s.coverage,
          s.missing,
          s.gaps,
          s.longestGaps[0]?.hours ?? 0,
          s.outliers,
        ]),
      ),
    );
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'controls' },
      h('button', { type: 'button', 'data-csv': 'series', onclick: csv }, 'Download CSV'),
    ),
    table(header, rows, { 'aria-label': 'series coverage', 'data-table': 'series' }),
  );
}

export const qualityView: View = {
  title: 'Data quality',
  async render(ctx) {
    ctx.root.append(h('h1', {}, 'Data quality'));
    const body = h('div', {}, loading('the ingest report'));
    ctx.root.append(body);
    const report = await fetchReport(ctx.signal);
    const t = report.totals;
    const disagreements = report.features.flatMap((f) =>
      f.disagreements.filter((d) => d.region === f.region),
    );
    body.replaceChildren(
      h('p', { class: 'lead', 'data-note': 'data' }, report.dataNote),
      h(
        'div',
        { class: 'cards', 'data-cards': 'ingest' },
        card('Ingest', `#${report.id} ${report.status}`),
        card('Finished', fmtHour(report.finishedAt ?? report.startedAt)),
        card('Mode', report.mode),
        card('Files read', fmtNumber(report.files)),
        card('Records parsed', fmtNumber(t['recordsParsed']), '', { 'data-value': 'records' }),
        card('Duplicates dropped', fmtNumber(t['duplicatesDropped'])),
        card('Spring-gap rows dropped', fmtNumber(t['dstGapRowsDropped'])),
        card('Flat-fill hours set missing', fmtNumber(t['flatFillHours'])),
        card('Outliers flagged', fmtNumber(t['outliers'])),
      ),
      report.error
        ? h(
            'div',
            { class: 'error', role: 'alert' },
            h('strong', {}, 'This ingest failed'),
            h('p', {}, report.error),
          )
        : h('span', {}),
      h('h2', {}, 'Series: coverage and gaps'),
      seriesTable(report),
      h('h2', {}, 'Clock-change days'),
      report.dstDays.length === 0
        ? emptyNote('No clock-change day in the files read.')
        : h('p', { 'data-list': 'dst' }, report.dstDays.join(', ')),
      h('h2', {}, 'Flat fills (set to missing)'),
      report.flatFills.length === 0
        ? emptyNote('No flat fill found.')
        : table(
            ['source', 'series', 'from (UTC)', 'hours', 'value'],
            report.flatFills.map((f) => [
              f.source,
              f.series,
              fmtHour(f.from),
              fmtNumber(f.hours, 1),
              fmtNumber(f.value, 2),
            ]),
            { 'aria-label': 'flat fills', 'data-table': 'flat-fills' },
          ),
      h('h2', {}, 'Source disagreements (same series, same hour)'),
      disagreements.length === 0
        ? emptyNote('No two sources overlap.')
        : table(
            ['region', 'column', 'used', 'other', 'overlap (h)', 'mean diff', 'mean |diff|', 'max |diff|'],
            disagreements.map((d) => [
              d.region,
              d.column,
              d.winner,
              d.other,
              fmtNumber(d.overlapHours),
              fmtNumber(d.meanDiff, 2),
              fmtNumber(d.meanAbsDiff, 2),
              fmtNumber(d.maxAbsDiff, 2),
            ]),
            { 'aria-label': 'source disagreements', 'data-table': 'disagreements' },
          ),
      h('h2', {}, 'Feature table per region'),
      table(
        ['region', 'hours', 'from (UTC)', 'to (UTC)', 'flagged hours', 'notes'],
        report.features.map((f) => [
          f.region,
          fmtNumber(f.rows),
          fmtHour(f.from),
          fmtHour(f.to),
          Object.entries(f.flaggedHours)
            .sort((a, b) => b[1] - a[1])
            .map(([flag, n]) => `${flag} ${fmtNumber(n)}`)
            .join(', ') || '–',
          f.notes.join(' ') || '–',
        ]),
        { 'aria-label': 'feature table per region', 'data-table': 'features' },
      ),
    );
  },
};
