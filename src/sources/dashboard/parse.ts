/**
 * Parses one Smart Grid Dashboard file (CSV export, old or new JSON) into observations.
 */
import { readTextFile } from '../text-file.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { ParseOptions, ParseResult } from '../types.js';
import { DashboardCleaner } from './clean.js';
import { periodFromFileName } from './period.js';
import { type DashboardShape, isJsonText, readCsvRows, readJsonRows } from './read-rows.js';

export interface DashboardParseResult extends ParseResult {
  shape: DashboardShape;
}

export async function parseDashboardFile(
  file: string,
  options: ParseOptions = {},
): Promise<DashboardParseResult> {
  const displayName = options.displayName ?? file;
  const text = await readTextFile(file, displayName);
  return parseDashboardText(text, file, options);
}

/** Parses file contents already in memory (`file` names it and gives the period). */
export function parseDashboardText(
  text: string,
  file: string,
  options: ParseOptions = {},
): DashboardParseResult {
  const displayName = options.displayName ?? file;
  if (text.trim() === '')
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file: displayName });
  const json = isJsonText(text);
  const cleaner = new DashboardCleaner(displayName, periodFromFileName(file), json ? 'json-rows' : 'lines');
  const sink = cleaner.add.bind(cleaner);
  let shape: DashboardShape = 'csv';
  if (json) shape = readJsonRows(text, sink, displayName);
  else readCsvRows(text, sink, displayName);
  const { records, quality } = cleaner.finish();
  if (quality.rowsRead === 0) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file holds no rows', { file: displayName });
  }
  return { source: 'dashboard', file, records, quality, shape };
}
