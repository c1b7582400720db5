/** Test workbooks made from the clock-change fixture with its `System Data` sheet XML edited. */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { openZip } from '../../lib/zip-reader.js';
import { buildZip } from '../xlsx/zip-writer.js';

export const WORKBOOK_FIXTURE = new URL(
  '../eirgrid-workbook/fixtures/clock-changes-2024.xlsx',
  import.meta.url,
).pathname;
const SHEET = 'xl/worksheets/sheet1.xml';

export async function workbookParts(): Promise<Map<string, string>> {
  const zip = await openZip(WORKBOOK_FIXTURE);
  try {
    const parts = new Map<string, string>();
    for (const name of zip.names) parts.set(name, await text(await zip.open(name)));
    return parts;
  } finally {
    zip.close();
  }
}

/** The fixture's bytes with its sheet XML passed through `edit`. */
export async function workbookVariant(edit: (sheetXml: string) => string): Promise<Buffer> {
  const parts = await workbookParts();
  return buildZip([...parts].map(([name, data]) => ({ name, data: name === SHEET ? edit(data) : data })));
}

export const workbookFixtureBytes = () => readFile(WORKBOOK_FIXTURE);
