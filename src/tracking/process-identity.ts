/**
 * Which process runs a run, told apart from a later process that reuses its pid: the pid plus, on
 * Linux, the process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  /** Undefined where /proc is not available. */
  start: string | undefined;
  host: string;
}

export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return afterName[19];
  } catch {
    return undefined;
  }
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, start: processStart(process.pid), host: hostname() };
}

/** True while the process that started a run still runs (same pid, same start time when known). */
export function isProcessAlive(pid: number, start: string | null | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (start === null || start === undefined) return true;
  const now = processStart(pid);
  return now === undefined || now === start;
}
