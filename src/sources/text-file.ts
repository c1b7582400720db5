/**
 * Reads a raw text file (CSV, JSON) as UTF-8, refusing anything else with an encoding error that
 * names the file (and the line of the first bad byte): a UTF-16 or UTF-32 export, a Latin-1 file,
 * or binary data would otherwise be read as NUL-interleaved or replacement characters.
 */
import { readFile } from 'node:fs/promises';
import { DcgridError, ErrorCodes } from '../lib/errors.js';

const BYTE_ORDER_MARKS: ReadonlyArray<[number[], string]> = [
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 (big-endian)'],
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 (little-endian)'],
  [[0xfe, 0xff], 'UTF-16 (big-endian)'],
  [[0xff, 0xfe], 'UTF-16 (little-endian)'],
];

const SAVE_AS = 'save it as UTF-8 (CSV UTF-8 in Excel)';

export async function readTextFile(path: string, displayName: string = path): Promise<string> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `cannot read the file: ${(error as Error).message}`,
      { file: displayName },
      { cause: error },
    );
  });
  return decodeUtf8(bytes, displayName);
}

/** The text of `bytes`, which must be UTF-8 (a UTF-8 byte-order mark is kept for the parsers to skip). */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  for (const [mark, name] of BYTE_ORDER_MARKS) {
    if (mark.every((byte, i) => bytes[i] === byte)) {
      throw new DcgridError(
        ErrorCodes.INPUT_ENCODING,
        `encoding error: the file is ${name} text (byte-order mark), not UTF-8; ${SAVE_AS}`,
        { file },
      );
    }
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = lineAt(bytes, nul);
    const looksUtf16 = nul <= 1 || bytes[nul + 2] === 0 || bytes[nul - 2] === 0;
    throw new DcgridError(
      ErrorCodes.INPUT_ENCODING,
      looksUtf16
        ? `encoding error: the file looks like UTF-16 text without a byte-order mark (NUL bytes between characters), not UTF-8; ${SAVE_AS}`
        : `encoding error: NUL byte at offset ${nul}: binary data, not UTF-8 text`,
      { file, line },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new DcgridError(
      ErrorCodes.INPUT_ENCODING,
      `encoding error: byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset} is not UTF-8 ` +
        `(a Latin-1 / Windows-1252 file, or binary data); ${SAVE_AS}`,
      { file, line: lineAt(bytes, offset) },
    );
  }
}

/** 1-based line of byte `offset`. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}
