import { vi } from 'vitest';
import { buildProgram } from '../program.js';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `dcgrid <args>` in this process, as main.ts does, capturing output and the exit code. */
export async function runCli(...args: string[]): Promise<CliResult> {
  const program = buildProgram().exitOverride();
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'dcgrid', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}
