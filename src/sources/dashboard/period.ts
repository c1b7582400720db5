/**
 * The period a dashboard file covers, read from its name: the CSV exports are named
 * `ROI_demandactual_24_Eirgrid.csv` (year 2024), our downloads
 * `ROI_demandactual_2024-01_api.json` (a month) or `..._2024-01-15_api.json` (a day).
 */
import { basename } from 'node:path';

export interface FilePeriod {
  /** [fromWall, toWall) in Irish wall-clock time (fake-UTC epochs). */
  fromWall: number;
  toWall: number;
  /** "2024", "2024-01" or "2024-01-15". */
  label: string;
}

const NAME_PATTERN = /^[A-Za-z]+_[A-Za-z0-9]+_(\d{2}|\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[_.]/;

export function periodFromFileName(path: string): FilePeriod | undefined {
  const match = NAME_PATTERN.exec(basename(path));
  if (!match) return undefined;
  const yearText = match[1]!;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const month = match[2] !== undefined ? Number(match[2]) : undefined;
  const day = match[3] !== undefined ? Number(match[3]) : undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (month === undefined) {
    return { fromWall: Date.UTC(year, 0, 1), toWall: Date.UTC(year + 1, 0, 1), label: String(year) };
  }
  const mm = String(month).padStart(2, '0');
  if (day === undefined) {
    return {
      fromWall: Date.UTC(year, month - 1, 1),
      toWall: Date.UTC(year, month, 1),
      label: `${year}-${mm}`,
    };
  }
  return {
    fromWall: Date.UTC(year, month - 1, day),
    toWall: Date.UTC(year, month - 1, day + 1),
    label: `${year}-${mm}-${String(day).padStart(2, '0')}`,
  };
}
