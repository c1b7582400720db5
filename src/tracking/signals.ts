/**
 * Ends a run KILLED when the process is told to stop (SIGTERM from `kill` or an orchestrator,
 * SIGINT from Ctrl-C), then exits with 128 + the signal number as shells expect. Without this, a
 * stopped process would leave its run RUNNING until the next orphan sweep.
 */
import { constants } from 'node:os';
import type { RunHandle } from './tracker.js';

export interface SignalOptions {
  signals?: readonly NodeJS.Signals[];
  /** How long ending the run may take before the process exits anyway. */
  graceMs?: number;
  /** Defaults to process.exit; tests and embedders may pass their own. */
  exit?: (code: number) => void;
}

/** Installs the handlers; returns the function that removes them (call it once the run has ended). */
export function endRunOnSignal(run: RunHandle, options: SignalOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const graceMs = options.graceMs ?? 5_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let handling = false;
  const handler = (signal: NodeJS.Signals) => {
    if (handling) return;
    handling = true;
    const code = 128 + (constants.signals[signal] ?? 0);
    const timer = setTimeout(() => exit(code), graceMs);
    run
      .end('KILLED', `stopped by ${signal}`)
      .catch((error: unknown) => {
        process.stderr.write(`could not mark run ${run.runId} KILLED: ${String(error)}\n`);
      })
      .finally(() => {
        clearTimeout(timer);
        exit(code);
      });
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
