/**
 * Telemetry timestamps to UTC. A timestamp with an offset or "Z" means exactly what it says. One
 * without is Irish local (Europe/Dublin) wall-clock time, the way site meters and BMS exports
 * usually write it:
 * - a wall time in the hour skipped in spring (01:00-01:59 on the last Sunday of March) never
 *   happened: the row is dropped and counted;
 * - a wall time in the hour repeated in autumn (01:00-01:59 on the last Sunday of October) is
 *   read as the first (IST) occurrence the first time a site has it, and as the second (GMT)
 *   occurrence the next time, so rows must be in time order within a site for that hour.
 */
import {
  classifyIrishWall,
  DAY_MS,
  HOUR_MS,
  irishClockChangeDays,
  irishOffsetHoursAtUtc,
  irishWallToUtcMs,
  isoDate,
} from '../../lib/time.js';
import { utcMsOf, type IsoDateTime } from '../csv-lines.js';

export class TelemetryClock {
  /** Rows without an offset, read as Irish local time. */
  naiveRows = 0;
  /** Rows (1-based) whose local wall time fell in the spring gap. */
  readonly gapRows: number[] = [];
  /** Rows read as the second (GMT) occurrence of the repeated autumn hour. */
  secondOccurrences = 0;
  private readonly seenRepeated = new Set<string>();
  /** Offset (ms) of each local day without a clock change; NaN for the two days with one. */
  private readonly dayOffsets = new Map<number, number>();

  /** UTC epoch ms, or null for a wall time that never happened. */
  toUtc(parsed: IsoDateTime, site: string, row: number): number | null {
    if (parsed.offsetMin !== null) return utcMsOf(parsed);
    this.naiveRows++;
    const offset = this.offsetOfDay(Math.floor(parsed.wallMs / DAY_MS));
    if (!Number.isNaN(offset)) return parsed.wallMs - offset;
    const kind = classifyIrishWall(parsed.wallMs);
    if (kind === 'gap') {
      this.gapRows.push(row);
      return null;
    }
    if (kind === 'normal') return irishWallToUtcMs(parsed.wallMs);
    const key = `${site}|${parsed.wallMs}`;
    const second = this.seenRepeated.has(key);
    if (second) this.secondOccurrences++;
    else this.seenRepeated.add(key);
    return irishWallToUtcMs(parsed.wallMs, second);
  }

  /** A day's offset is fixed unless the clocks change that day; cached because files hold many rows per day. */
  private offsetOfDay(day: number): number {
    let offset = this.dayOffsets.get(day);
    if (offset === undefined) {
      const date = isoDate(day * DAY_MS);
      const { spring, autumn } = irishClockChangeDays(Number(date.slice(0, 4)));
      offset =
        date === spring || date === autumn
          ? Number.NaN
          : irishOffsetHoursAtUtc(day * DAY_MS + 12 * HOUR_MS) * HOUR_MS;
      this.dayOffsets.set(day, offset);
    }
    return offset;
  }
}
