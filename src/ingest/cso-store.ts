import type { CsoFigure } from '../sources/types.js';
import type { StoreTransaction } from '../store/store.js';

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
