/** Reads one member out of a downloaded zip archive. */
import { buffer } from 'node:stream/consumers';
import yauzl, { type ZipFile } from 'yauzl';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

/**
 * The bytes of the first member whose base name (any folder inside the archive ignored) equals
 * `baseName`, compared without regard to case. Fails with E_NOT_FOUND listing the members when
 * there is none, and with E_INPUT_CORRUPT when the file is not a readable zip.
 */
export async function readZipMember(zipPath: string, baseName: string): Promise<Buffer> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `not a readable zip archive: ${(error as Error).message}`,
      {
        file: zipPath,
      },
    );
  }
  const seen: string[] = [];
  const wanted = baseName.toLowerCase();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      seen.push(name);
      if (name.endsWith('/') || (name.split('/').pop() ?? '').toLowerCase() !== wanted) continue;
      return await buffer(await zip.openReadStreamPromise(entry));
    }
  } catch (error) {
    if (error instanceof DcgridError) throw error;
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, `damaged zip archive: ${(error as Error).message}`, {
      file: zipPath,
    });
  } finally {
    zip.close();
  }
  const listed = seen.length > 12 ? [...seen.slice(0, 12), `... (${seen.length} members)`] : seen;
  throw new DcgridError(
    ErrorCodes.NOT_FOUND,
    `the archive has no ${baseName}; members: ${listed.join(', ') || 'none'}`,
    {
      file: zipPath,
    },
  );
}
