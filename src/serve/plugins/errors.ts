/**
 * Every error leaves as a problem document. Validation errors name the parameter (`region`,
 * `body.durationHours`) and the reason; library errors keep their code's meaning (E_NOT_FOUND -> 404).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, ApiErrorCodes, problemOf, toApiError, type ParameterProblem } from '../errors.js';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

function validationProblems(error: FastifyError): ParameterProblem[] {
  const context = error.validationContext ?? 'request';
  const prefix = context === 'body' ? 'body' : '';
  return (error.validation ?? []).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const parameter = [prefix, path].filter((p) => p.length > 0).join('.') || context;
    return { parameter, reason: issue.message ?? 'invalid' };
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let apiError: ApiError;
    if (hasZodFastifySchemaValidationErrors(error) || error.validation !== undefined) {
      const errors = validationProblems(error);
      apiError = new ApiError(
        400,
        ApiErrorCodes.BAD_REQUEST,
        errors.map((e) => `${e.parameter}: ${e.reason}`).join('; '),
        { errors },
      );
    } else if (error instanceof ApiError) {
      apiError = error;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors: a body that is not JSON, too large, a wrong content type.
      const code = error.statusCode === 406 ? ApiErrorCodes.NOT_ACCEPTABLE : ApiErrorCodes.BAD_REQUEST;
      apiError = new ApiError(error.statusCode, code, error.message, {
        errors: [{ parameter: 'body', reason: error.message }],
      });
    } else {
      apiError = toApiError(error);
    }
    if (apiError.status >= 500 && apiError.status !== 503)
      request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: apiError.code, detail: apiError.message }, 'request refused');
    if (apiError.status === 401) reply.header('www-authenticate', 'Bearer realm="dcgrid"');
    return reply
      .code(apiError.status)
      .type(PROBLEM_TYPE)
      .send(JSON.stringify(problemOf(apiError, request.url)));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError(
      404,
      ApiErrorCodes.NOT_FOUND,
      `no route ${request.method} ${request.url.split('?')[0]}`,
    );
    return reply
      .code(404)
      .type(PROBLEM_TYPE)
      .send(JSON.stringify(problemOf(error, request.url)));
  });
}
