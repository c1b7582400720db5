/**
 * Pushes an XML stream through saxes chunk by chunk, so a part of any size is parsed without
 * ever holding its text in one string. Element names are given without namespace prefix.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { DcgridError, ErrorCodes, isDcgridError } from '../../lib/errors.js';

export interface XmlHandlers {
  open?(name: string, attributes: Readonly<Record<string, string>>): void;
  close?(name: string): void;
  /** Character data (entities decoded), including CDATA sections. */
  text?(text: string): void;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/**
 * Parses `stream` as XML. Errors thrown by a handler (a DcgridError about a cell, say) stop the
 * parse and are rethrown as they are; malformed XML or a broken stream becomes E_INPUT_CORRUPT
 * naming the file and the part.
 */
export async function streamXml(
  stream: Readable,
  handlers: XmlHandlers,
  where: { file: string; part: string },
): Promise<void> {
  const parser = new SaxesParser({ position: false });
  const { open, close, text } = handlers;
  if (open)
    parser.on('opentag', (tag) => open(localName(tag.name), tag.attributes as Record<string, string>));
  if (close) parser.on('closetag', (tag) => close(localName(tag.name)));
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      parser.write(decoder.write(chunk as Buffer));
    }
    parser.write(decoder.end());
    parser.close();
  } catch (error) {
    stream.destroy();
    if (isDcgridError(error)) throw error;
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `cannot read part "${where.part}": ${(error as Error).message}`,
      { file: where.file },
      { cause: error },
    );
  }
}
