/** Getting at the typed error a test expects, with a plain failure when there is none. */
import { DcgridError, isDcgridError } from '../errors.js';

/** The DcgridError `promise` rejects with. */
export async function failure(promise: Promise<unknown>): Promise<DcgridError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DcgridError)) throw new Error(`expected a DcgridError, got ${String(error)}`);
  return error;
}

/** The DcgridError `run` throws. */
export function errorOf(run: () => unknown): DcgridError {
  try {
    run();
  } catch (error) {
    if (isDcgridError(error)) return error;
    throw error;
  }
  throw new Error('expected a DcgridError');
}
