import { CSO_STATUSES, figureKey } from '../sources/cso/figures.js';
import type { CsoFigure } from '../sources/types.js';
import type { StoreTransaction } from '../store/store.js';

/** The CSO figures stored by earlier ingests. */
export async function readCsoFigures(tx: StoreTransaction): Promise<CsoFigure[]> {
  const rows = await tx.db.selectFrom('dcgrid.cso_figures').selectAll().execute();
  return rows.map((row) => ({
    year: row.year,
    quarter: row.quarter === 0 ? null : row.quarter,
    metric: row.metric as CsoFigure['metric'],
    value: Number(row.value),
    unit: row.unit as CsoFigure['unit'],
    status: row.status,
    sourceUrl: row.source_url,
    note: row.note,
  }));
}

/** 0 for the most certain status (pxstat), larger for less certain ones; unknown statuses last. */
function certainty(status: string): number {
  const rank = (CSO_STATUSES as readonly string[]).indexOf(status);
  return rank < 0 ? CSO_STATUSES.length : rank;
}

/**
 * The figures an ingest keeps and builds the data-centre proxy from. What is stored stays unless
 * this ingest brings a figure that supersedes it: one read from a CSO file now (a newer release)
 * that is at least as certain, or a built-in figure that is strictly more certain. So an ingest of
 * a folder without a CSO file never replaces figures an earlier ingest read from MEC02.
 */
export function settleCsoFigures(
  stored: readonly CsoFigure[],
  incoming: readonly CsoFigure[],
  fromFiles: ReadonlySet<string>,
): CsoFigure[] {
  const settled = new Map(stored.map((figure) => [figureKey(figure), figure]));
  for (const figure of incoming) {
    const key = figureKey(figure);
    const kept = settled.get(key);
    const supersedes =
      kept === undefined ||
      (fromFiles.has(key)
        ? certainty(figure.status) <= certainty(kept.status)
        : certainty(figure.status) < certainty(kept.status));
    if (supersedes) settled.set(key, figure);
  }
  return [...settled.values()].sort(
    (a, b) => a.metric.localeCompare(b.metric) || a.year - b.year || (a.quarter ?? 0) - (b.quarter ?? 0),
  );
}

/** Upserts CSO figures (one row per year, quarter (0 = annual) and metric). Returns rows changed. */
export async function writeCsoFigures(tx: StoreTransaction, figures: readonly CsoFigure[]): Promise<number> {
  let changed = 0;
  for (const f of figures) {
    const result = await tx.db
      .insertInto('dcgrid.cso_figures')
      .values({
        year: f.year,
        quarter: f.quarter ?? 0,
        metric: f.metric,
        value: f.value,
        unit: f.unit,
        status: f.status,
        source_url: f.sourceUrl,
        note: f.note,
      })
      .onConflict((oc) =>
        oc
          .columns(['year', 'quarter', 'metric'])
          .doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            unit: eb.ref('excluded.unit'),
            status: eb.ref('excluded.status'),
            source_url: eb.ref('excluded.source_url'),
            note: eb.ref('excluded.note'),
            ingested_at: new Date(),
          }))
          .where((eb) =>
            eb.or([
              eb('dcgrid.cso_figures.value', '<>', eb.ref('excluded.value')),
              eb('dcgrid.cso_figures.status', '<>', eb.ref('excluded.status')),
              eb('dcgrid.cso_figures.source_url', '<>', eb.ref('excluded.source_url')),
              eb('dcgrid.cso_figures.note', '<>', eb.ref('excluded.note')),
            ]),
          ),
      )
      .executeTakeFirst();
    changed += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return changed;
}
