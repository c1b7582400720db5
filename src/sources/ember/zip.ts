/** Reads one member out of a downloaded zip archive. */
import { buffer } from 'node:stream/consumers';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { openZip } from '../../lib/zip-reader.js';

/**
 * The bytes of the first member whose base name (any folder inside the archive ignored) equals
 * `baseName`, compared without regard to case. Fails with E_NOT_FOUND listing the members when
 * there is none, and with E_INPUT_CORRUPT when the file is not a readable zip.
 */
export async function readZipMember(zipPath: string, baseName: string): Promise<Buffer> {
  const zip = await openZip(zipPath);
  try {
    const wanted = baseName.toLowerCase();
    const name = zip.names.find(
      (n) => !n.endsWith('/') && (n.split('/').pop() ?? '').toLowerCase() === wanted,
    );
    if (name !== undefined) return await buffer(await zip.open(name));
    const listed =
      zip.names.length > 12 ? [...zip.names.slice(0, 12), `... (${zip.names.length} members)`] : zip.names;
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `the archive has no ${baseName}; members: ${listed.join(', ') || 'none'}`,
      {
        file: zipPath,
      },
    );
  } finally {
    zip.close();
  }
}
