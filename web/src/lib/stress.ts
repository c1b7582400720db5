/** Stress bands from a score and the band edges the API gives (GET /api/stress/alerts `bands`). */
import type { StressBand } from '../api/catalog.js';

export interface BandEdges {
  elevated: number;
  high: number;
  critical: number;
}

export function bandOf(score: number | null | undefined, edges: BandEdges): StressBand | null {
  if (score === null || score === undefined || !Number.isFinite(score)) return null;
  if (score >= edges.critical) return 'critical';
  if (score >= edges.high) return 'high';
  if (score >= edges.elevated) return 'elevated';
  return 'normal';
}

/** The y ranges of the bands for a chart whose scores span [lo, hi]. */
export function bandZones(
  edges: BandEdges,
  lo: number,
  hi: number,
): Array<{ band: StressBand; from: number; to: number }> {
  const bottom = Math.min(lo, edges.elevated) - 10;
  const top = Math.max(hi, edges.critical) + 10;
  return [
    { band: 'normal', from: bottom, to: edges.elevated },
    { band: 'elevated', from: edges.elevated, to: edges.high },
    { band: 'high', from: edges.high, to: edges.critical },
    { band: 'critical', from: edges.critical, to: top },
  ];
}
