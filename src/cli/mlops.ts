/**
 * What the training commands share: the store, with runs left RUNNING by dead processes marked
 * FAILED first, the tracker and the registry the settings describe.
 */
import type { ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import type { Tracker } from '../tracking/tracker.js';
import type { CommandContext } from './context.js';

export interface Mlops {
  store: Store;
  tracker: Tracker;
  registry: ModelRegistry;
}

export async function openMlops(ctx: CommandContext): Promise<Mlops> {
  // Loaded when a command runs, not when `dcgrid --help` builds the command list.
  const { openRegistry } = await import('../registry/open.js');
  const { markOrphanedRuns } = await import('../tracking/orphans.js');
  const { openMlflowClient, openTracker } = await import('../tracking/open.js');
  const store = await ctx.store();
  const mlflow = openMlflowClient(ctx.config);
  const orphans = await markOrphanedRuns(store, mlflow ? { mlflow } : {});
  for (const run of orphans) {
    ctx.log.warn(
      { runId: run.runId, pid: run.pid },
      `run "${run.name}" was left RUNNING by a dead process: marked FAILED`,
    );
  }
  return { store, tracker: openTracker(ctx.config, store), registry: openRegistry(ctx.config, store) };
}
