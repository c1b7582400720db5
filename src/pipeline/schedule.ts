/**
 * `dcgrid schedule`: runs the pipeline on a cron expression (Irish local time) for as long as the
 * process lives. Never two runs at once: a tick that finds a run in progress (in this process, or
 * a RUNNING pipeline run of a live process recorded in the database) is skipped and logged. A
 * failed run is logged and the next tick runs as usual. In embedded mode this process owns the
 * database, so it is the one that must run the schedule.
 */
import { Cron } from 'croner';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { markOrphanedRuns } from '../tracking/orphans.js';
import { runPipeline, type PipelineDeps, type PipelineRequest, type PipelineResult } from './pipeline.js';

export interface ScheduleOptions {
  cron: string;
  timezone?: string;
  /** The request for each run (built afresh each time). */
  request: () => Omit<PipelineRequest, 'signal'>;
  log: Logger;
  /** Called when a run ends (tests, status output). */
  onRunEnd?: (outcome: { ok: true; result: PipelineResult } | { ok: false; error: unknown }) => void;
}

export interface Schedule {
  nextRun(): Date | null;
  /** Runs the pipeline now unless a run is in progress; resolves when it ends (or is skipped). */
  trigger(): Promise<'ran' | 'failed' | 'skipped'>;
  /** Stops ticking and interrupts a run in progress (it ends KILLED); resolves once it has stopped. */
  stop(): Promise<void>;
}

export function startSchedule(deps: PipelineDeps, options: ScheduleOptions): Schedule {
  const { log } = options;
  let current: Promise<'ran' | 'failed' | 'skipped'> | undefined;
  let controller: AbortController | undefined;

  async function runOnce(): Promise<'ran' | 'failed' | 'skipped'> {
    await markOrphanedRuns(deps.store);
    const running = await deps.store.db
      .selectFrom('dcgrid.runs')
      .select(['run_id', 'host', 'pid'])
      .where('name', '=', 'pipeline')
      .where('status', '=', 'RUNNING')
      .executeTakeFirst();
    if (running !== undefined) {
      log.warn(
        { runId: running.run_id, host: running.host, pid: running.pid },
        'pipeline already running elsewhere: tick skipped',
      );
      return 'skipped';
    }
    controller = new AbortController();
    const started = Date.now();
    log.info('scheduled pipeline run starting');
    try {
      const result = await runPipeline(deps, {
        ...options.request(),
        signal: controller.signal,
      });
      log.info(
        { runId: result.runId, seconds: (Date.now() - started) / 1000 },
        'scheduled pipeline run finished',
      );
      options.onRunEnd?.({ ok: true, result });
      return 'ran';
    } catch (error) {
      log.error(
        { err: error, seconds: (Date.now() - started) / 1000 },
        'scheduled pipeline run failed; waiting for the next tick',
      );
      options.onRunEnd?.({ ok: false, error });
      return 'failed';
    } finally {
      controller = undefined;
    }
  }

  function trigger(): Promise<'ran' | 'failed' | 'skipped'> {
    if (current !== undefined) {
      log.warn('previous scheduled run still in progress: tick skipped');
      return Promise.resolve('skipped');
    }
    current = runOnce().finally(() => {
      current = undefined;
    });
    return current;
  }

  let job: Cron;
  try {
    job = new Cron(options.cron, { ...(options.timezone ? { timezone: options.timezone } : {}) }, () => {
      void trigger();
    });
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `invalid cron expression "${options.cron}": ${(error as Error).message}`,
    );
  }
  log.info({ cron: options.cron, next: job.nextRun()?.toISOString() }, 'schedule started');

  return {
    nextRun: () => job.nextRun(),
    trigger,
    async stop() {
      job.stop();
      controller?.abort(new DcgridError(ErrorCodes.INTERRUPTED, 'schedule stopped'));
      await current;
      log.info('schedule stopped');
    },
  };
}
