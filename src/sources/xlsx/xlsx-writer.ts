/**
 * Writes a small but complete .xlsx package (content types, relationships, workbook, styles,
 * worksheets, optional shared strings) that Excel, LibreOffice and our reader open.
 */
import { columnLetters } from './cells.js';
import { buildZip } from './zip-writer.js';

/** A date-time cell: an Excel serial written with a date number format. */
export interface DateSerialCell {
  serial: number;
}
/** An Excel error value such as "#N/A". */
export interface ErrorCell {
  error: string;
}
export type WriteCell = number | string | boolean | null | undefined | DateSerialCell | ErrorCell;

export interface SheetInput {
  name: string;
  rows: ReadonlyArray<ReadonlyArray<WriteCell>>;
  /** Column widths in characters, from column A. */
  columnWidths?: readonly number[];
  /** Bold first row, frozen below it. */
  headerRow?: boolean;
}

export interface XlsxWriteOptions {
  /** Store strings in xl/sharedStrings.xml (as Excel does) instead of inline. Default false. */
  sharedStrings?: boolean;
  /** Dates count from 1904. Default false. */
  date1904?: boolean;
  /** Deflate the parts (default) or store them. */
  compress?: boolean;
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const STYLE_DATE = 1;
const STYLE_HEADER = 2;
/** The date-time format of the EirGrid workbooks' DateTime column. */
const DATE_FORMAT_CODE = 'dd/mm/yyyy hh:mm';

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 forbids most control characters, even escaped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** Builds the .xlsx bytes for `sheets` (at least one). */
export function buildXlsx(sheets: readonly SheetInput[], options: XlsxWriteOptions = {}): Buffer {
  if (sheets.length === 0) throw new Error('an .xlsx workbook needs at least one sheet');
  const strings = options.sharedStrings ? new SharedStrings() : undefined;
  const sheetParts = sheets.map((sheet, index) => ({
    name: `xl/worksheets/sheet${index + 1}.xml`,
    data: worksheetXml(sheet, strings),
  }));

  const entries = [
    { name: '[Content_Types].xml', data: contentTypesXml(sheets.length, strings !== undefined) },
    { name: '_rels/.rels', data: packageRelsXml() },
    { name: 'docProps/app.xml', data: appXml() },
    { name: 'docProps/core.xml', data: coreXml() },
    { name: 'xl/workbook.xml', data: workbookXml(sheets, options.date1904 ?? false) },
    { name: 'xl/_rels/workbook.xml.rels', data: workbookRelsXml(sheets.length, strings !== undefined) },
    { name: 'xl/styles.xml', data: stylesXml() },
    ...sheetParts,
  ];
  if (strings) entries.push({ name: 'xl/sharedStrings.xml', data: strings.toXml() });
  return buildZip(entries, { compress: options.compress ?? true });
}

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  private references = 0;

  add(text: string): number {
    this.references++;
    let position = this.index.get(text);
    if (position === undefined) {
      position = this.list.length;
      this.list.push(text);
      this.index.set(text, position);
    }
    return position;
  }

  toXml(): string {
    const items = this.list.map((text) => `<si>${textElement(text)}</si>`).join('');
    return `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${this.references}" uniqueCount="${this.list.length}">${items}</sst>`;
  }
}

function textElement(text: string): string {
  const preserve = /^\s|\s$|\n/.test(text) ? ' xml:space="preserve"' : '';
  return `<t${preserve}>${escapeXml(text)}</t>`;
}

function cellXml(ref: string, cell: WriteCell, strings: SharedStrings | undefined, header: boolean): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new Error(`cell ${ref}: ${cell} cannot be stored in a workbook`);
    return `<c r="${ref}"><v>${cell}</v></c>`;
  }
  if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
  if (typeof cell === 'string') {
    const style = header ? ` s="${STYLE_HEADER}"` : '';
    if (strings) return `<c r="${ref}"${style} t="s"><v>${strings.add(cell)}</v></c>`;
    return `<c r="${ref}"${style} t="inlineStr"><is>${textElement(cell)}</is></c>`;
  }
  if ('serial' in cell) return `<c r="${ref}" s="${STYLE_DATE}"><v>${cell.serial}</v></c>`;
  return `<c r="${ref}" t="e"><v>${escapeXml(cell.error)}</v></c>`;
}

function worksheetXml(sheet: SheetInput, strings: SharedStrings | undefined): string {
  const width = sheet.rows.reduce((widest, row) => Math.max(widest, row.length), 1);
  const letters = Array.from({ length: width }, (_, index) => columnLetters(index));
  const rows: string[] = [];
  sheet.rows.forEach((row, rowIndex) => {
    const r = rowIndex + 1;
    const header = sheet.headerRow === true && rowIndex === 0;
    let cells = '';
    row.forEach((cell, columnIndex) => {
      cells += cellXml(`${letters[columnIndex]}${r}`, cell, strings, header);
    });
    rows.push(`<row r="${r}">${cells}</row>`);
  });
  const lastRef = `${letters[width - 1]}${Math.max(1, sheet.rows.length)}`;
  const pane = sheet.headerRow
    ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  const cols =
    sheet.columnWidths && sheet.columnWidths.length > 0
      ? `<cols>${sheet.columnWidths
          .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
          .join('')}</cols>`
      : '';
  return (
    `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><dimension ref="A1:${lastRef}"/>${pane}` +
    `<sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>${rows.join('')}</sheetData></worksheet>`
  );
}

function contentTypesXml(sheetCount: number, sharedStrings: boolean): string {
  const sheetOverrides = Array.from(
    { length: sheetCount },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  const sst = sharedStrings
    ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    : '';
  return (
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    `${sheetOverrides}${sst}</Types>`
  );
}

function packageRelsXml(): string {
  return (
    `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId3" Type="${NS_REL}/extended-properties" Target="docProps/app.xml"/>` +
    '</Relationships>'
  );
}

function appXml(): string {
  return `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>dcgrid</Application></Properties>`;
}

function coreXml(): string {
  return (
    `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>dcgrid</dc:creator></cp:coreProperties>'
  );
}

function workbookXml(sheets: readonly SheetInput[], date1904: boolean): string {
  const list = sheets
    .map((sheet, i) => `<sheet name="${escapeXml(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const pr = date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>';
  return `${XML_DECL}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">${pr}<sheets>${list}</sheets></workbook>`;
}

function workbookRelsXml(sheetCount: number, sharedStrings: boolean): string {
  let rels = '';
  for (let i = 1; i <= sheetCount; i++) {
    rels += `<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  }
  rels += `<Relationship Id="rId${sheetCount + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`;
  if (sharedStrings) {
    rels += `<Relationship Id="rId${sheetCount + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>`;
  }
  return `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">${rels}</Relationships>`;
}

function stylesXml(): string {
  return (
    `${XML_DECL}<styleSheet xmlns="${NS_MAIN}">` +
    `<numFmts count="1"><numFmt numFmtId="164" formatCode="${DATE_FORMAT_CODE}"/></numFmts>` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1"/></xf></cellXfs>' +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}
