/**
 * A streaming .xlsx reader: finds sheets by name through the package relationships, loads the
 * shared strings and the date styles, and hands a worksheet to the caller one row at a time.
 */
import { posix } from 'node:path';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { type Cell, type SheetRow, columnLetters, isDateFormat, parseCellRef } from './cells.js';
import { streamXml, type XmlHandlers } from './xml-stream.js';
import { openZip, type ZipArchive } from '../../lib/zip-reader.js';

export interface Workbook {
  /** The name used in error messages. */
  readonly file: string;
  readonly sheetNames: readonly string[];
  /** Whether date serials count from 1904 (old Mac workbooks). */
  readonly date1904: boolean;
  /** Streams a sheet's rows in file order; rows without any cell are skipped. */
  readSheet(name: string, onRow: (row: SheetRow) => void): Promise<void>;
  close(): void;
}

interface Relationship {
  type: string;
  target: string;
}

const REL_OFFICE_DOCUMENT = '/officeDocument';
const REL_SHARED_STRINGS = '/sharedStrings';
const REL_STYLES = '/styles';

/** Opens an .xlsx file; the caller must close() it. */
export async function openWorkbook(path: string, displayName: string = path): Promise<Workbook> {
  const archive = await openZip(path, displayName, '.xlsx workbook (a zip archive)');
  try {
    return await loadWorkbook(archive, displayName);
  } catch (error) {
    archive.close();
    throw error;
  }
}

async function loadWorkbook(archive: ZipArchive, file: string): Promise<Workbook> {
  const packageRels = archive.has('_rels/.rels') ? await readRelationships(archive, '_rels/.rels', file) : [];
  const officeDocument = packageRels.find((rel) => rel.type.endsWith(REL_OFFICE_DOCUMENT));
  const workbookPart = officeDocument ? resolveTarget('', officeDocument.target) : 'xl/workbook.xml';
  if (!archive.has(workbookPart)) {
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, `not an .xlsx workbook: no part "${workbookPart}"`, {
      file,
    });
  }

  const { sheets, date1904 } = await readWorkbookPart(archive, workbookPart, file);
  const relsPart = relationshipsPartOf(workbookPart);
  const rels = archive.has(relsPart) ? await readRelationshipMap(archive, relsPart, file) : new Map();
  const partOf = (rel: Relationship | undefined): string | undefined =>
    rel === undefined ? undefined : resolveTarget(workbookPart, rel.target);

  const sharedStringsPart = partOf([...rels.values()].find((rel) => rel.type.endsWith(REL_SHARED_STRINGS)));
  const stylesPart = partOf([...rels.values()].find((rel) => rel.type.endsWith(REL_STYLES)));
  const sharedStrings =
    sharedStringsPart !== undefined && archive.has(sharedStringsPart)
      ? await readSharedStrings(archive, sharedStringsPart, file)
      : [];
  const dateStyles =
    stylesPart !== undefined && archive.has(stylesPart)
      ? await readDateStyles(archive, stylesPart, file)
      : [];

  const sheetParts = new Map<string, string>();
  for (const sheet of sheets) {
    const part = partOf(rels.get(sheet.relId));
    if (part !== undefined) sheetParts.set(sheet.name, part);
  }

  return {
    file,
    sheetNames: sheets.map((sheet) => sheet.name),
    date1904,
    async readSheet(name, onRow) {
      const part = sheetParts.get(name);
      if (part === undefined || !archive.has(part)) {
        throw new DcgridError(ErrorCodes.INPUT_CORRUPT, `sheet "${name}" has no worksheet part`, { file });
      }
      const stream = await archive.open(part);
      await streamXml(stream, sheetHandlers({ file, part, sharedStrings, dateStyles, onRow }), {
        file,
        part,
      });
    },
    close: () => archive.close(),
  };
}

/** Resolves a relationship target against the part that owns the relationship. */
function resolveTarget(ownerPart: string, target: string): string {
  if (target.startsWith('/')) return posix.normalize(target.slice(1));
  return posix.normalize(posix.join(posix.dirname(ownerPart), target));
}

function relationshipsPartOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

async function parsePart(
  archive: ZipArchive,
  part: string,
  file: string,
  handlers: XmlHandlers,
): Promise<void> {
  await streamXml(await archive.open(part), handlers, { file, part });
}

async function readRelationships(archive: ZipArchive, part: string, file: string): Promise<Relationship[]> {
  return [...(await readRelationshipMap(archive, part, file)).values()];
}

async function readRelationshipMap(
  archive: ZipArchive,
  part: string,
  file: string,
): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  await parsePart(archive, part, file, {
    open(name, attributes) {
      if (name === 'Relationship' && attributes.Id && attributes.Target) {
        rels.set(attributes.Id, { type: attributes.Type ?? '', target: attributes.Target });
      }
    },
  });
  return rels;
}

async function readWorkbookPart(
  archive: ZipArchive,
  part: string,
  file: string,
): Promise<{ sheets: Array<{ name: string; relId: string }>; date1904: boolean }> {
  const sheets: Array<{ name: string; relId: string }> = [];
  let date1904 = false;
  await parsePart(archive, part, file, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name === 'sheet' && attributes.name !== undefined) {
        // The relationship id is r:id, whatever prefix the writer bound to the namespace.
        const relKey = Object.keys(attributes).find((key) => key.endsWith(':id'));
        sheets.push({ name: attributes.name, relId: relKey ? (attributes[relKey] ?? '') : '' });
      }
    },
  });
  return { sheets, date1904 };
}

async function readSharedStrings(archive: ZipArchive, part: string, file: string): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  let inText = false;
  let phoneticDepth = 0;
  await parsePart(archive, part, file, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') phoneticDepth++;
      else if (name === 't' && phoneticDepth === 0) inText = true;
    },
    close(name) {
      if (name === 'si') strings.push(current);
      else if (name === 'rPh') phoneticDepth--;
      else if (name === 't') inText = false;
    },
    text(text) {
      if (inText) current += text;
    },
  });
  return strings;
}

/** For each cell style index (cellXfs position), whether it formats numbers as dates. */
async function readDateStyles(archive: ZipArchive, part: string, file: string): Promise<boolean[]> {
  const formatCodes = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellXfs = false;
  await parsePart(archive, part, file, {
    open(name, attributes) {
      if (name === 'numFmt' && attributes.numFmtId !== undefined) {
        formatCodes.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styleFormats.push(Number(attributes.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styleFormats.map((id) => isDateFormat(id, formatCodes.get(id)));
}

interface SheetContext {
  file: string;
  part: string;
  sharedStrings: readonly string[];
  dateStyles: readonly boolean[];
  onRow: (row: SheetRow) => void;
}

/** SAX handlers turning <row>/<c> elements into SheetRows. */
function sheetHandlers({ file, part, sharedStrings, dateStyles, onRow }: SheetContext): XmlHandlers {
  let rowNumber = 0;
  let cells: Array<Cell | undefined> = [];
  let nextColumn = 0;
  let column = 0;
  let cellType = 'n';
  let cellStyle = 0;
  let text = '';
  let capturing = false;
  let hasValue = false;
  let inInlineString = false;
  let phoneticDepth = 0;

  const corrupt = (message: string): DcgridError =>
    new DcgridError(ErrorCodes.INPUT_CORRUPT, `${message} (part ${part})`, {
      file,
      row: rowNumber,
      column: columnLetters(column),
    });

  const finishCell = (): Cell | undefined => {
    switch (cellType) {
      case 's': {
        if (!hasValue) return undefined;
        const value = sharedStrings[Number(text)];
        if (value === undefined) throw corrupt(`shared string ${text} does not exist`);
        return { type: 'string', value };
      }
      case 'inlineStr':
      case 'str':
        return hasValue ? { type: 'string', value: text } : undefined;
      case 'b':
        return hasValue
          ? { type: 'boolean', value: text.trim() === '1' || text.trim() === 'true' }
          : undefined;
      case 'e':
        return hasValue ? { type: 'error', value: text } : undefined;
      case 'd':
        return hasValue && text !== '' ? { type: 'date', value: text } : undefined;
      default: {
        if (!hasValue || text === '') return undefined;
        const value = Number(text);
        if (!Number.isFinite(value)) throw corrupt(`number cell holds "${text}"`);
        return { type: 'number', value, isDate: dateStyles[cellStyle] === true };
      }
    }
  };

  return {
    open(name, attributes) {
      switch (name) {
        case 'row':
          rowNumber = attributes.r !== undefined ? Number(attributes.r) : rowNumber + 1;
          cells = [];
          nextColumn = 0;
          break;
        case 'c':
          column = attributes.r !== undefined ? parseCellRef(attributes.r).column : nextColumn;
          if (column < 0) throw corrupt(`bad cell reference "${attributes.r}"`);
          cellType = attributes.t ?? 'n';
          cellStyle = attributes.s !== undefined ? Number(attributes.s) : 0;
          text = '';
          hasValue = false;
          break;
        case 'v':
          capturing = true;
          break;
        case 'is':
          inInlineString = true;
          break;
        case 'rPh':
          phoneticDepth++;
          break;
        case 't':
          if (inInlineString && phoneticDepth === 0) capturing = true;
          break;
      }
    },
    close(name) {
      switch (name) {
        case 'v':
          capturing = false;
          hasValue = true;
          break;
        case 't':
          capturing = false;
          break;
        case 'rPh':
          phoneticDepth--;
          break;
        case 'is':
          inInlineString = false;
          hasValue = true;
          break;
        case 'c':
          cells[column] = finishCell();
          nextColumn = column + 1;
          break;
        case 'row':
          if (cells.length > 0) onRow({ rowNumber, cells });
          break;
      }
    },
    text(chunk) {
      if (capturing) text += chunk;
    },
  };
}
