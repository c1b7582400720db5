/**
 * A flexible site moves part of its load away from expensive hours (high stress, price or carbon)
 * to cheaper ones of the same UTC day, no further than maxShiftH, so each day's energy is
 * conserved. Greedy and deterministic: the costliest hours give first, each to the cheapest hour it
 * may reach, and an hour never runs above (1 + share) x its planned load (the headroom the site
 * keeps for the work it moves). Costs are the baseline's: the move is planned on the forecast or
 * history the operator sees, not on the scenario's own result.
 */
import { HOUR_MS } from '../lib/time.js';

export interface FlexLimits {
  share: number;
  maxShiftH: number;
}

export interface FlexResult {
  load: Float64Array;
  /** MWh moved to another hour. */
  shiftedMwh: number;
}

const DAY_MS = 24 * HOUR_MS;

export function shiftLoad(
  ts: Float64Array,
  planned: Float64Array,
  cost: Float64Array,
  { share, maxShiftH }: FlexLimits,
): FlexResult {
  const load = Float64Array.from(planned);
  let shiftedMwh = 0;
  if (share <= 0) return { load, shiftedMwh };
  let dayStart = 0;
  while (dayStart < ts.length) {
    const day = Math.floor(ts[dayStart]! / DAY_MS);
    let dayEnd = dayStart;
    while (dayEnd < ts.length && Math.floor(ts[dayEnd]! / DAY_MS) === day) dayEnd++;
    shiftedMwh += shiftDay(load, planned, cost, dayStart, dayEnd, share, maxShiftH);
    dayStart = dayEnd;
  }
  return { load, shiftedMwh };
}

function shiftDay(
  load: Float64Array,
  planned: Float64Array,
  cost: Float64Array,
  lo: number,
  hi: number,
  share: number,
  maxShiftH: number,
): number {
  const hours: number[] = [];
  for (let h = lo; h < hi; h++) if (!Number.isNaN(cost[h]!)) hours.push(h);
  const byCostDesc = [...hours].sort((a, b) => cost[b]! - cost[a]! || a - b);
  const byCostAsc = [...hours].sort((a, b) => cost[a]! - cost[b]! || a - b);
  let moved = 0;
  for (const from of byCostDesc) {
    let movable = share * planned[from]!;
    for (const to of byCostAsc) {
      if (movable <= 0 || cost[to]! >= cost[from]!) break;
      if (Math.abs(to - from) > maxShiftH) continue;
      const room = (1 + share) * planned[to]! - load[to]!;
      if (room <= 0) continue;
      const amount = Math.min(room, movable);
      load[from]! -= amount;
      load[to]! += amount;
      movable -= amount;
      moved += amount;
    }
  }
  return moved;
}
