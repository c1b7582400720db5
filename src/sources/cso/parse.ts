/**
 * Reads a CSO figures file: the transcribed figures table or the PxStat MEC02 CSV export, told
 * apart by their header rows.
 */
import { readTextFile } from '../text-file.js';
import { DcgridError, ErrorCodes, isDcgridError } from '../../lib/errors.js';
import { readCsvRecords, type CsvRecord } from '../csv-lines.js';
import { emptyQuality, type CsoFigure, type ParseOptions, type ParseResult } from '../types.js';
import { isPxStatHeader, readMec02 } from './pxstat.js';
import { readTranscribedFigures, TRANSCRIBED_COLUMNS } from './transcribed.js';

export async function parseCsoFile(
  path: string,
  options: ParseOptions = {},
): Promise<ParseResult<CsoFigure>> {
  return parseCsoText(await readTextFile(path, options.displayName ?? path), options.displayName ?? path);
}

export function parseCsoText(text: string, file: string): ParseResult<CsoFigure> {
  const records = readCsvRecords(text, { file });
  const first = records.next();
  if (first.done) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  const header: CsvRecord = first.value;
  const read = isPxStatHeader(header.fields)
    ? readMec02(header, records, file)
    : readTranscribed(header, records, file);
  const quality = emptyQuality();
  quality.rowsRead = read.rowsRead;
  quality.duplicatesDropped = read.duplicatesDropped;
  quality.emptyValues = read.emptyValues;
  quality.notes = read.notes;
  return { source: 'cso', file, records: read.figures, quality };
}

function readTranscribed(header: CsvRecord, records: Iterable<CsvRecord>, file: string) {
  try {
    return readTranscribedFigures(header, records, file);
  } catch (error) {
    if (!isDcgridError(error, ErrorCodes.HEADER_MISSING)) throw error;
    throw new DcgridError(
      ErrorCodes.HEADER_MISSING,
      `${error.message.slice(error.message.indexOf('missing column'))} (nor is it a PxStat export: it has no "VALUE" with "TLIST(Q1)" or "Quarter")`,
      error.location,
    );
  }
}

/** The header of the transcribed table, for writers and messages. */
export const TRANSCRIBED_HEADER = Object.values(TRANSCRIBED_COLUMNS)
  .map((c) => c.name)
  .join(',');
