import type { Command } from 'commander';
import { registerModelsCommand } from './models.js';

/** Every CLI command registers itself here, in the order of the data flow. */
export function registerCommands(program: Command): void {
  registerModelsCommand(program);
}
