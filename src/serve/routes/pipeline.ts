/**
 * POST /api/pipeline/runs (Bearer API_TOKEN) starts a pipeline run in this process (the server
 * owns the embedded database, so it is the one that can run it); GET /api/pipeline/runs/current
 * follows it. One run at a time, here or in any process on the same database (409 otherwise).
 * Shutdown interrupts a run in progress (it ends KILLED and can be resumed).
 */
import { z } from 'zod';
import { FORECAST_TARGETS } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { runPipeline, type PipelineEvent, type PipelineRequest } from '../../pipeline/pipeline.js';
import { markOrphanedRuns } from '../../tracking/orphans.js';
import type { ApiApp, RouteContext } from '../context.js';
import { ApiError, ApiErrorCodes } from '../errors.js';
import { bearerSecurity, requireToken } from '../plugins/auth.js';
import { problemSchema } from '../schemas/common.js';

interface JobState {
  state: 'running' | 'succeeded' | 'failed';
  startedAt: Date;
  endedAt: Date | null;
  targets: readonly string[];
  models: readonly string[];
  currentStep: string | null;
  steps: Array<{ step: string; status: string; seconds: number; summary: string }>;
  runId: string | null;
  error: string | null;
}

const jobSchema = z.object({
  state: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  targets: z.array(z.string()),
  models: z.array(z.string()),
  currentStep: z.string().nullable(),
  steps: z.array(
    z.object({ step: z.string(), status: z.string(), seconds: z.number(), summary: z.string() }),
  ),
  runId: z
    .string()
    .nullable()
    .describe('the tracked pipeline run (GET /api/runs?name=pipeline) once finished'),
  error: z.string().nullable(),
});

const jobJson = (job: JobState) => ({
  ...job,
  targets: [...job.targets],
  models: [...job.models],
  startedAt: job.startedAt.toISOString(),
  endedAt: job.endedAt?.toISOString() ?? null,
});

export function registerPipelineRoutes(app: ApiApp, { deps }: RouteContext): { stop(): Promise<void> } {
  const { config, store } = deps;
  let job: JobState | undefined;
  let running: Promise<void> | undefined;
  let controller: AbortController | undefined;

  app.post(
    '/api/pipeline/runs',
    {
      preHandler: requireToken(config.API_TOKEN),
      schema: {
        tags: ['pipeline'],
        summary: 'start a pipeline run: ingest, train, backtest, register, forecast (Bearer API_TOKEN)',
        security: bearerSecurity,
        body: z
          .object({
            targets: z.array(z.enum(FORECAST_TARGETS)).min(1).optional().describe('default: TARGETS'),
            models: z
              .array(z.string().regex(/^[a-z0-9]+$/))
              .min(1)
              .optional()
              .describe('default: PIPELINE_MODELS'),
            ingest: z.boolean().default(true).describe('ingest DCGRID_RAW_DIR (or the demo data) first'),
            download: z.boolean().default(false).describe('ingest from the publishers (ingest --download)'),
            resume: z
              .boolean()
              .default(false)
              .describe('skip the steps an interrupted run of the same configuration finished'),
          })
          .default({ ingest: true, download: false, resume: false }),
        response: {
          202: jobSchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      if (job?.state === 'running') {
        throw new ApiError(
          409,
          ApiErrorCodes.CONFLICT,
          `a pipeline run started at ${job.startedAt.toISOString()} is in progress`,
        );
      }
      await markOrphanedRuns(store);
      const elsewhere = await store.db
        .selectFrom('dcgrid.runs')
        .select(['run_id', 'host', 'pid'])
        .where('name', '=', 'pipeline')
        .where('status', '=', 'RUNNING')
        .executeTakeFirst();
      if (elsewhere !== undefined) {
        throw new ApiError(
          409,
          ApiErrorCodes.CONFLICT,
          `pipeline run ${elsewhere.run_id} is in progress (process ${elsewhere.pid ?? '?'} on ${elsewhere.host ?? '?'})`,
        );
      }
      const b = request.body;
      controller = new AbortController();
      const pipelineRequest: PipelineRequest = {
        region: config.REGION,
        targets: b.targets ?? config.TARGETS,
        models: b.models ?? config.PIPELINE_MODELS,
        horizon: config.FORECAST_HORIZON_H,
        contextLength: config.CONTEXT_LENGTH_H,
        trainHours: config.TRAIN_DAYS * 24,
        validationHours: config.VALIDATION_HOURS,
        backtestWeeks: config.BACKTEST_WEEKS,
        seed: config.SEED,
        params: {},
        ingest: b.ingest ? (b.download ? { download: true } : {}) : false,
        resume: b.resume,
        signal: controller.signal,
        onStep: (event: PipelineEvent) => {
          if (job === undefined) return;
          if (event.kind === 'start') job.currentStep = event.step;
          if (event.kind === 'done') {
            job.steps.push({
              step: event.step,
              status: 'done',
              seconds: event.seconds,
              summary: event.summary,
            });
            job.currentStep = null;
          }
        },
      };
      const current: JobState = {
        state: 'running',
        startedAt: new Date(),
        endedAt: null,
        targets: pipelineRequest.targets,
        models: pipelineRequest.models,
        currentStep: null,
        steps: [],
        runId: null,
        error: null,
      };
      job = current;
      const log = request.log;
      running = runPipeline(deps, pipelineRequest).then(
        (result) => {
          current.state = 'succeeded';
          current.runId = result.runId;
          current.steps = result.steps;
          current.endedAt = new Date();
          log.info({ runId: result.runId }, 'pipeline run finished');
        },
        (error: unknown) => {
          current.state = 'failed';
          current.error = error instanceof Error ? error.message : String(error);
          current.endedAt = new Date();
          log.warn({ err: error }, 'pipeline run failed');
        },
      );
      return reply.code(202).header('location', '/api/pipeline/runs/current').send(jobJson(current));
    },
  );

  app.get(
    '/api/pipeline/runs/current',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'the pipeline run started through this server: its state and finished steps',
        response: { 200: jobSchema, 404: problemSchema },
      },
    },
    async () => {
      if (job === undefined)
        throw new ApiError(404, ApiErrorCodes.NOT_FOUND, 'no pipeline run was started through this server');
      return jobJson(job);
    },
  );

  return {
    async stop() {
      controller?.abort(new DcgridError(ErrorCodes.INTERRUPTED, 'the API server is shutting down'));
      await running;
    },
  };
}
