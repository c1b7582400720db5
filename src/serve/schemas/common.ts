/** Schemas shared by several routes: they validate the request and document it in OpenAPI at once. */
import { z } from 'zod';
import {
  FORECAST_TARGETS,
  REGIONS,
  type Config,
  type ForecastTarget,
  type Region,
} from '../../config/config.js';
import { badRequest, notFound } from '../errors.js';

/** ISO 8601 instant with a zone (`2024-11-01T00:00:00Z`, `2024-11-01T01:00:00+01:00`). */
export const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2024-11-01T00:00:00Z' })
  .transform((text) => new Date(text));

export const regionParam = z
  .string()
  .min(1)
  .max(8)
  .optional()
  .describe(`region: ${REGIONS.join(', ')} (default: the server's REGION)`);

export const targetParam = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .describe(`forecast target: ${FORECAST_TARGETS.join(', ')} (default: the first of TARGETS)`);

export const rangeParams = {
  from: instant.optional().describe('first hour included (ISO 8601 with zone)'),
  to: instant.optional().describe('end of the range, excluded (ISO 8601 with zone)'),
};

/** Unknown region: 404 naming it (the region exists as a word, not as data we hold). */
export function resolveRegion(value: string | undefined, config: Pick<Config, 'REGION'>): Region {
  if (value === undefined) return config.REGION;
  const upper = value.toUpperCase();
  if (!(REGIONS as readonly string[]).includes(upper))
    throw notFound(`unknown region "${value}": one of ${REGIONS.join(', ')}`);
  return upper as Region;
}

export function resolveTarget(value: string | undefined, config: Pick<Config, 'TARGETS'>): ForecastTarget {
  if (value === undefined) return config.TARGETS[0]!;
  if (!(FORECAST_TARGETS as readonly string[]).includes(value))
    throw notFound(`unknown target "${value}": one of ${FORECAST_TARGETS.join(', ')}`);
  return value as ForecastTarget;
}

export function checkRange(from: Date | undefined, to: Date | undefined): void {
  if (from !== undefined && to !== undefined && to.getTime() <= from.getTime())
    throw badRequest('to', `must be after from (${from.toISOString()})`);
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('stable error code, e.g. E_BAD_REQUEST, E_NOT_FOUND'),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ parameter: z.string(), reason: z.string() })).optional(),
    missing: z.array(z.string()).optional(),
  })
  .describe('RFC 9457 problem document (application/problem+json)');

export const errorResponses = {
  400: problemSchema,
  404: problemSchema,
} as const;

export const isoString = (d: Date | number | null | undefined): string | null =>
  d == null ? null : new Date(d).toISOString();
