import type { Command } from 'commander';
import { registerBacktest } from './backtest.js';
import { registerDataReport } from './data-report.js';
import { registerFeatures } from './features.js';
import { registerForecast } from './forecast.js';
import { registerIngest } from './ingest.js';
import { registerModelsCommand } from './models.js';
import { registerPipeline } from './pipeline.js';
import { registerSchedule } from './schedule.js';
import { registerServe } from './serve.js';
import { registerTrain } from './train.js';

/** Every CLI command registers itself here, in the order of the data flow. */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerDataReport(program);
  registerFeatures(program);
  registerTrain(program);
  registerBacktest(program);
  registerForecast(program);
  registerPipeline(program);
  registerModelsCommand(program);
  registerSchedule(program);
  registerServe(program);
}
