/**
 * Lists the files of one raw-data folder that a source reads. Symbolic links are followed (a raw
 * folder assembled from links is read like a copy); a link whose target is missing is an error
 * naming the link, never a file quietly left out.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DcgridError, ErrorCodes } from '../lib/errors.js';

/** Files (or links to files) in `folder` whose name `accept`s, sorted by name; none when the folder is absent. */
export async function listRawFiles(folder: string, accept: (name: string) => boolean): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `cannot list the folder: ${(error as Error).message}`,
      { file: folder },
      { cause: error },
    );
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!accept(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isFile()) files.push(path);
    else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch((error: unknown) => {
        throw new DcgridError(
          ErrorCodes.NOT_FOUND,
          `the link cannot be followed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): its target is missing or unreadable`,
          { file: path },
          { cause: error },
        );
      });
      if (target.isFile()) files.push(path);
    }
  }
  return files.sort();
}
