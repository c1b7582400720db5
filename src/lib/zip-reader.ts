/**
 * Reads entries of a zip archive (an .xlsx package, a downloaded bundle) as streams with yauzl:
 * only the central directory is held in memory, never a whole entry.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DcgridError, ErrorCodes } from './errors.js';

export interface ZipArchive {
  /** Entry names in archive order. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** A stream of the entry's uncompressed bytes. */
  open(name: string): Promise<Readable>;
  close(): void;
}

/**
 * Opens a zip file; a missing, empty or non-zip file is a DcgridError naming `displayName` and
 * saying what the file should have been (`kind`, e.g. ".xlsx workbook").
 */
export async function openZip(
  path: string,
  displayName: string = path,
  kind = 'zip archive',
): Promise<ZipArchive> {
  const info = await stat(path).catch((error: unknown) => {
    throw new DcgridError(ErrorCodes.NOT_FOUND, `cannot read the file: ${(error as Error).message}`, {
      file: displayName,
    });
  });
  if (!info.isFile()) throw new DcgridError(ErrorCodes.NOT_FOUND, 'not a file', { file: displayName });
  if (info.size === 0)
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file: displayName });

  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zipfile) => {
      if (error) {
        reject(
          new DcgridError(
            ErrorCodes.INPUT_CORRUPT,
            `not a readable ${kind}: ${error.message}`,
            { file: displayName },
            { cause: error },
          ),
        );
      } else resolve(zipfile);
    });
  });
  const entries = await readCentralDirectory(zip, displayName);

  return {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    open: (name) => {
      const entry = entries.get(name);
      if (entry === undefined) {
        return Promise.reject(
          new DcgridError(ErrorCodes.INPUT_CORRUPT, `the archive has no part "${name}"`, {
            file: displayName,
          }),
        );
      }
      return new Promise<Readable>((resolve, reject) => {
        zip.openReadStream(entry, (error, stream) => {
          if (error) {
            reject(
              new DcgridError(
                ErrorCodes.INPUT_CORRUPT,
                `cannot read part "${name}": ${error.message}`,
                { file: displayName },
                { cause: error },
              ),
            );
          } else resolve(stream);
        });
      });
    },
    close: () => zip.close(),
  };
}

function readCentralDirectory(zip: yauzl.ZipFile, displayName: string): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (entry: yauzl.Entry) => {
      // Some writers store Windows separators or a leading slash.
      entries.set(entry.fileName.replace(/\\/g, '/').replace(/^\//, ''), entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => {
      zip.close();
      reject(
        new DcgridError(
          ErrorCodes.INPUT_CORRUPT,
          `corrupt zip directory: ${error.message}`,
          { file: displayName },
          { cause: error },
        ),
      );
    });
    zip.readEntry();
  });
}
