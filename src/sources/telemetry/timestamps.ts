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
import { classifyIrishWall, irishWallToUtcMs } from '../../lib/time.js';
import { utcMsOf, type IsoDateTime } from '../csv-lines.js';

export class TelemetryClock {
  /** Rows without an offset, read as Irish local time. */
  naiveRows = 0;
  /** Rows (1-based) whose local wall time fell in the spring gap. */
  readonly gapRows: number[] = [];
  /** Rows read as the second (GMT) occurrence of the repeated autumn hour. */
  secondOccurrences = 0;
  private readonly seenRepeated = new Set<string>();

  /** UTC epoch ms, or null for a wall time that never happened. */
  toUtc(parsed: IsoDateTime, site: string, row: number): number | null {
    if (parsed.offsetMin !== null) return utcMsOf(parsed);
    this.naiveRows++;
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
}
