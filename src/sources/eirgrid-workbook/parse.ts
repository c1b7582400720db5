/**
 * Parses EirGrid's "System Data Qtr Hourly" workbook (sheet `System Data`) into observations:
 * columns found by header name, UTC = DateTime - GMT Offset hours, checked to form a regular
 * UTC grid.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { DAY_MS, irishClockChangeDays, irishOffsetHoursAtUtc, isoDate } from '../../lib/time.js';
import { emptyQuality, type Observation, type ParseOptions, type ParseResult } from '../types.js';
import { columnLetters, type SheetRow } from '../xlsx/cells.js';
import { isPhysical, physicalError } from '../bounds.js';
import { openWorkbook, type Workbook } from '../xlsx/workbook-reader.js';
import { FRACTION_SERIES, SYSTEM_DATA_SHEET } from './columns.js';
import { decideScale, percentToFraction } from './fraction-scale.js';
import { checkUtcGrid, describeHoles } from './grid.js';
import { type HeaderLayout, readHeader } from './header.js';
import { readDataRow, type WorkbookRow } from './row-reader.js';

export async function parseSystemDataWorkbook(
  file: string,
  options: ParseOptions = {},
): Promise<ParseResult> {
  const displayName = options.displayName ?? file;
  const workbook = await openWorkbook(file, displayName);
  try {
    return await parseOpenWorkbook(workbook, file);
  } finally {
    workbook.close();
  }
}

function findSystemDataSheet(workbook: Workbook): string {
  const wanted = SYSTEM_DATA_SHEET.toLowerCase();
  const name = workbook.sheetNames.find((sheet) => sheet.trim().toLowerCase() === wanted);
  if (name === undefined) {
    const found = workbook.sheetNames.map((sheet) => `"${sheet}"`).join(', ') || 'none';
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `no "${SYSTEM_DATA_SHEET}" sheet in the workbook (sheets: ${found})`,
      { file: workbook.file },
    );
  }
  return name;
}

async function parseOpenWorkbook(workbook: Workbook, file: string): Promise<ParseResult> {
  const displayName = workbook.file;
  const sheet = findSystemDataSheet(workbook);
  const quality = emptyQuality();
  let layout: HeaderLayout | undefined;
  let errorCells = 0;
  const rows: WorkbookRow[] = [];

  await workbook.readSheet(sheet, (row: SheetRow) => {
    if (layout === undefined) {
      layout = readHeader(row, displayName);
      return;
    }
    const parsed = readDataRow(row, {
      file: displayName,
      layout,
      date1904: workbook.date1904,
      onErrorCell: () => errorCells++,
    });
    if (parsed !== undefined) rows.push(parsed);
  });

  if (layout === undefined) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, `the "${sheet}" sheet is empty`, { file: displayName });
  }
  quality.rowsRead = rows.length;
  const trailing = trimTrailingEmptyRows(rows);
  if (rows.length === 0) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, `the "${sheet}" sheet has a header but no data rows`, {
      file: displayName,
      row: layout.rowNumber + 1,
    });
  }

  const grid = checkUtcGrid(rows, layout, displayName);
  quality.duplicatesDropped = grid.duplicatesDropped;
  if (layout.unknown.length > 0)
    quality.notes.push(
      `ignored ${layout.unknown.length} extra column(s) that are not EirGrid columns (every required column is present): ${layout.unknown.join(', ')}`,
    );
  if (trailing > 0) quality.notes.push(`ignored ${trailing} trailing row(s) with a DateTime but no values`);
  if (errorCells > 0) quality.notes.push(`${errorCells} cell(s) held an Excel error value, read as missing`);
  if (grid.holes.length > 0) quality.notes.push(describeHoles(grid.holes, grid.stepMs));
  const disagreeing = grid.rows.filter((row) => irishOffsetHoursAtUtc(row.utcMs) !== row.gmtOffset).length;
  if (disagreeing > 0) {
    quality.notes.push(`${disagreeing} row(s) have a GMT Offset that differs from Irish summer-time rules`);
  }
  quality.dstDays = clockChangeDaysSeen(grid.rows);

  const divisors = layout.data.map((located, index) => {
    if (!FRACTION_SERIES.has(located.column.series)) return 1;
    const decision = decideScale(index, layout!, grid.rows);
    if (decision.divisor === 100) {
      quality.notes.push(`"${located.header}" holds percents (${decision.reason}); converted to fractions`);
    }
    return decision.divisor;
  });

  const intervalMin = grid.stepMs / 60_000;
  const records: Observation[] = [];
  for (const row of grid.rows) {
    layout.data.forEach(({ column, header, index: sheetColumn }, index) => {
      const raw = row.values[index] ?? null;
      if (raw === null) quality.emptyValues++;
      const value = raw === null ? null : divisors[index] === 100 ? percentToFraction(raw) : raw;
      if (value !== null && !isPhysical(column.series, value)) {
        throw physicalError(
          column.series,
          value,
          { file: displayName, row: row.rowNumber, column: header },
          `cell ${columnLetters(sheetColumn)}${row.rowNumber}: ${raw}${divisors[index] === 100 ? ' %' : ''}`,
        );
      }
      records.push({ series: column.series, region: column.region, tsUtc: row.utcMs, intervalMin, value });
    });
  }
  return { source: 'eirgrid-workbook', file, records, quality };
}

/** Removes rows at the end that have a DateTime but no value at all (the rest of a current year). */
function trimTrailingEmptyRows(rows: WorkbookRow[]): number {
  let removed = 0;
  while (rows.length > 0 && rows[rows.length - 1]!.values.every((value) => value === null)) {
    rows.pop();
    removed++;
  }
  return removed;
}

/** Local dates (YYYY-MM-DD) of Irish clock changes that the rows cover. */
function clockChangeDaysSeen(rows: readonly WorkbookRow[]): string[] {
  const days = new Set<string>();
  const changeDaysByYear = new Map<number, Set<string>>();
  let lastDay = Number.NaN;
  for (const row of rows) {
    const day = Math.floor(row.wallMs / DAY_MS);
    if (day === lastDay) continue;
    lastDay = day;
    const date = isoDate(day * DAY_MS);
    const year = Number(date.slice(0, 4));
    let changes = changeDaysByYear.get(year);
    if (changes === undefined) {
      const { spring, autumn } = irishClockChangeDays(year);
      changes = new Set([spring, autumn]);
      changeDaysByYear.set(year, changes);
    }
    if (changes.has(date)) days.add(date);
  }
  return [...days].sort();
}
