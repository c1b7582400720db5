/**
 * Runs `body` inside a tracked run: FINISHED when it returns, FAILED with the error's message when
 * it throws (the error is rethrown), KILLED when the process gets SIGTERM / SIGINT meanwhile.
 */
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
    await run.end('FAILED', errorMessage(error)).catch(() => undefined);
    throw error;
  } finally {
    removeHandlers();
  }
}
