/** GET /healthz (the process answers) and GET /readyz (it can serve forecasts; 503 says what is missing). */
import { sql } from 'kysely';
import { z } from 'zod';
import { ApiError, ApiErrorCodes } from '../errors.js';
import type { ApiApp, RouteContext } from '../context.js';
import { problemSchema } from '../schemas/common.js';

const CHECK_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const readyAnswer = z.object({
  status: z.literal('ready'),
  database: z.string(),
  artifacts: z.string(),
  champions: z.array(
    z.object({
      region: z.string(),
      target: z.string(),
      model: z.string(),
      version: z.number(),
      forecastIssuedAt: z.string(),
    }),
  ),
});

export function registerHealthRoutes(app: ApiApp, { deps }: RouteContext): void {
  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }) },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'readiness: database and artifact store reachable, champions with issued forecasts',
        description:
          "Checks the server's REGION and each of its TARGETS. 503 with `missing` naming each thing that is not there.",
        response: { 200: readyAnswer, 503: problemSchema },
      },
    },
    async () => {
      const { store, registry, config } = deps;
      const missing: string[] = [];
      try {
        await withTimeout(sql`SELECT 1`.execute(store.db), 'the database');
      } catch (error) {
        throw new ApiError(
          503,
          ApiErrorCodes.NOT_READY,
          `database unreachable: ${(error as Error).message}`,
          {
            missing: [`database (${store.description})`],
          },
        );
      }
      const champions: z.infer<typeof readyAnswer>['champions'] = [];
      let artifactsOk = true;
      for (const target of config.TARGETS) {
        const champion = await registry.getChampion({ region: config.REGION, target });
        if (champion === undefined) {
          missing.push(`champion for ${target} in ${config.REGION}`);
          continue;
        }
        try {
          if (!(await withTimeout(registry.artifacts.hasVersion(champion), 'the artifact store')))
            missing.push(
              `artifacts of ${champion.model} v${champion.version} (${target}) in ${registry.artifacts.description}`,
            );
        } catch (error) {
          artifactsOk = false;
          missing.push(`artifact store ${registry.artifacts.description}: ${(error as Error).message}`);
        }
        const issued = await store.db
          .selectFrom('dcgrid.forecasts')
          .select((eb) => eb.fn.max('issued_at').as('issued'))
          .where('region', '=', config.REGION)
          .where('target', '=', target)
          .where('model', '=', champion.model)
          .where('version', '=', champion.version)
          .executeTakeFirst();
        if (issued?.issued == null) {
          missing.push(`forecast issued by the champion of ${target} in ${config.REGION}`);
          continue;
        }
        champions.push({
          region: config.REGION,
          target,
          model: champion.model,
          version: champion.version,
          forecastIssuedAt: new Date(issued.issued).toISOString(),
        });
      }
      if (missing.length > 0) {
        throw new ApiError(503, ApiErrorCodes.NOT_READY, `not ready: missing ${missing.join('; ')}`, {
          missing,
        });
      }
      return {
        status: 'ready' as const,
        database: store.description,
        artifacts: artifactsOk ? registry.artifacts.description : 'unreachable',
        champions,
      };
    },
  );
}
