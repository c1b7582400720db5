/**
 * Runs `body` inside a tracked run: FINISHED when it returns, FAILED with the error's message when
 * it throws (the error is rethrown), KILLED when it stops because it was interrupted (an
 * E_INTERRUPTED error from an aborted signal) or when the process gets SIGTERM / SIGINT meanwhile.
 */
import { isDcgridError } from '../lib/errors.js';
import { errorMessage } from './error-message.js';
import { endRunOnSignal, type SignalOptions } from './signals.js';
import type { RunHandle, StartRunOptions, Tracker } from './tracker.js';

export async function withRun<T>(
  tracker: Tracker,
  options: StartRunOptions & { signals?: SignalOptions | false },
  body: (run: RunHandle) => Promise<T>,
): Promise<T> {
  const { signals, ...start } = options;
  const run = await tracker.startRun(start);
  const removeHandlers = signals === false ? () => undefined : endRunOnSignal(run, signals);
  try {
    const result = await body(run);
    await run.end('FINISHED');
    return result;
  } catch (error) {
    const stopped =
      isDcgridError(error, 'E_INTERRUPTED') || (error instanceof Error && error.name === 'AbortError');
    await run.end(stopped ? 'KILLED' : 'FAILED', errorMessage(error)).catch(() => undefined);
    throw error;
  } finally {
    removeHandlers();
  }
}
