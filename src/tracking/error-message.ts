/** The message of anything thrown, for storing with a failed run. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
