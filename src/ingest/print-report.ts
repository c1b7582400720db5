import type { Output } from '../cli/output.js';
import type { IngestReport } from './report.js';

/** The ingest report for people: what was read, what was dropped or doubted, what was written. */
export function printIngestReport(out: Output, report: IngestReport): void {
  out.info(`data: ${report.dataNote}`);
  out.info(
    `\nfiles read: ${report.files.length} (${report.totals.recordsParsed.toLocaleString('en-IE')} records)`,
  );
  out.info('\nseries coverage');
  out.table(
    report.series.map((s) => ({
      source: s.source,
      series: s.series,
      region: s.region,
      first: s.first?.slice(0, 16) ?? null,
      last: s.last?.slice(0, 16) ?? null,
      coverage: Number((s.coverage * 100).toFixed(2)),
      missing: s.missing,
      gaps: s.gaps,
      longest_gap_h: s.longestGaps[0]?.hours ?? 0,
      outliers: s.outliers,
    })),
  );
  const t = report.totals;
  out.info(
    `\ndropped: ${t.duplicatesDropped} duplicate rows, ${t.outOfPeriodDropped} out-of-period rows, ` +
      `${t.dstGapRowsDropped} spring-gap rows; flat fills: ${report.flatFills.length} runs (${t.flatFillHours} h) set to missing; ` +
      `outliers flagged: ${t.outliers}`,
  );
  if (report.dstDays.length > 0) out.info(`clock-change days seen: ${report.dstDays.join(', ')}`);
  for (const fill of report.flatFills.slice(0, 10)) {
    out.info(
      `  flat fill ${fill.source} ${fill.series}: ${new Date(fill.from).toISOString().slice(0, 16)} for ${fill.hours} h at ${fill.value}`,
    );
  }
  // A region's series can feed another region's build (ALL sums IE and NI; prices are system-wide):
  // each disagreement is shown where its series' own region is built, over that region's hours.
  const disagreements = report.features.flatMap((f) => f.disagreements.filter((d) => d.region === f.region));
  if (disagreements.length > 0) {
    out.info('\nsource disagreements (same series, same hour)');
    out.table(disagreements as unknown as Array<Record<string, string | number | null>>);
  }
  for (const f of report.features) {
    const flags = Object.entries(f.flaggedHours)
      .map(([flag, n]) => `${flag} ${n}`)
      .join(', ');
    out.info(
      `\nfeatures ${f.region}: ${f.rows} hours ${f.from ?? ''} .. ${f.to ?? ''}${flags ? `; flagged: ${flags}` : ''}`,
    );
    for (const note of f.notes) out.info(`  note: ${note}`);
  }
  const notes = report.files.flatMap((file) =>
    file.quality.notes.map((n) => `${file.source} ${file.file}: ${n}`),
  );
  if (notes.length > 0) {
    out.info('\nparser notes');
    for (const note of [...new Set(notes)].slice(0, 20)) out.info(`  ${note}`);
  }
  const w = report.rowsWritten;
  out.info(
    `\nrows written: observations ${w.observations}, features ${w.features}, CSO figures ${w.csoFigures}` +
      ` (rows already stored with the same values are left untouched)`,
  );
  out.info(
    `timings (s): ${Object.entries(report.timings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}
