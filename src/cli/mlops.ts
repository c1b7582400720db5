/**
 * What the training commands share: the store, with runs left RUNNING by dead processes marked
 * FAILED first, the tracker and the registry the settings describe.
 */
import type { ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import { errorMessage } from '../tracking/error-message.js';
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
  const registry = openRegistry(ctx.config, store);
  await removeIncompleteArtifacts(ctx, registry);
  return { store, tracker: openTracker(ctx.config, store), registry };
}

/** Leftovers of artifact writes that were killed; a failure here only costs a warning. */
async function removeIncompleteArtifacts(ctx: CommandContext, registry: ModelRegistry): Promise<void> {
  try {
    const removed = await registry.artifacts.removeIncomplete();
    if (removed.length > 0) {
      ctx.log.warn(
        { removed },
        `removed ${removed.length} incomplete artifact folder(s) left by killed writers`,
      );
    }
  } catch (error) {
    ctx.log.warn({ error: errorMessage(error) }, 'could not look for incomplete artifact folders');
  }
}
