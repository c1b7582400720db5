import type { Command } from 'commander';

/** Every CLI command registers itself here, in the order of the data flow. */
export function registerCommands(program: Command): void {
  void program;
}
