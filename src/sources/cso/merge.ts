import type { CsoFigure } from '../types.js';
import { figureKey } from './figures.js';

export interface MergedCsoFigures {
  figures: CsoFigure[];
  /** How many transcribed figures a MEC02 figure of the same year, quarter and metric replaced. */
  overriddenByPxstat: number;
}

/**
 * The transcribed figures with every figure of MEC02 (PxStat) laid over them: a MEC02 figure
 * replaces the transcribed one of the same year, quarter (or year total) and metric, and its note
 * records what it replaced; MEC02 figures with no transcribed counterpart are added.
 */
export function mergeCsoFigures(
  published: readonly CsoFigure[],
  pxstat: readonly CsoFigure[],
): MergedCsoFigures {
  const merged = new Map<string, CsoFigure>(published.map((f) => [figureKey(f), f]));
  let overriddenByPxstat = 0;
  for (const figure of pxstat) {
    const key = figureKey(figure);
    const replaced = merged.get(key);
    if (replaced === undefined) {
      merged.set(key, figure);
      continue;
    }
    overriddenByPxstat++;
    const was = `replaces ${replaced.value} ${replaced.unit} (${replaced.status}, ${replaced.sourceUrl})`;
    merged.set(key, { ...figure, note: figure.note ? `${figure.note}; ${was}` : was });
  }
  const figures = [...merged.values()].sort(
    (a, b) => a.metric.localeCompare(b.metric) || a.year - b.year || (a.quarter ?? 0) - (b.quarter ?? 0),
  );
  return { figures, overriddenByPxstat };
}
