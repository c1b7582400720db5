import type { Command } from 'commander';
import { registerBacktest } from './backtest.js';
import { registerDataReport } from './data-report.js';
import { registerIngest } from './ingest.js';
import { registerModelsCommand } from './models.js';

/** Every CLI command registers itself here, in the order of the data flow. */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerDataReport(program);
  registerModelsCommand(program);
  registerBacktest(program);
}
