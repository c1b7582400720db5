/**
 * The API's typed errors. Every error answer is an RFC 9457 problem document
 * (`application/problem+json`) with a stable `code`, so clients branch on the code, never on text.
 */
import { isDcgridError, type DcgridError } from '../lib/errors.js';

export const ApiErrorCodes = {
  BAD_REQUEST: 'E_BAD_REQUEST',
  UNAUTHORIZED: 'E_UNAUTHORIZED',
  FORBIDDEN: 'E_FORBIDDEN',
  WRITES_DISABLED: 'E_WRITES_DISABLED',
  NOT_FOUND: 'E_NOT_FOUND',
  CONFLICT: 'E_CONFLICT',
  NOT_ACCEPTABLE: 'E_NOT_ACCEPTABLE',
  NOT_READY: 'E_NOT_READY',
  INPUTS_MISSING: 'E_INPUTS_MISSING',
  INTERNAL: 'E_INTERNAL',
} as const;

export type ApiErrorCode = (typeof ApiErrorCodes)[keyof typeof ApiErrorCodes];

/** One invalid parameter or body field and why. */
export interface ParameterProblem {
  parameter: string;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ApiErrorCode | DcgridError['code'];
  detail: string;
  instance?: string;
  errors?: ParameterProblem[];
  /** What is missing, for 503 from /readyz and 422 from the advisor. */
  missing?: string[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  409: 'Conflict',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { errors?: ParameterProblem[]; missing?: string[] } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (parameter: string, reason: string) =>
  new ApiError(400, ApiErrorCodes.BAD_REQUEST, `${parameter}: ${reason}`, {
    errors: [{ parameter, reason }],
  });

export const notFound = (message: string) => new ApiError(404, ApiErrorCodes.NOT_FOUND, message);

export function problemOf(error: ApiError, instance?: string): Problem {
  return {
    type: `https://dcgrid.dev/problems/${error.code.slice(2).toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance !== undefined ? { instance } : {}),
    ...error.extra,
  };
}

/** Maps errors from the library (DcgridError) to API errors; anything else is a 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isDcgridError(error)) {
    switch (error.code) {
      case 'E_NOT_FOUND':
        return new ApiError(404, ApiErrorCodes.NOT_FOUND, error.message);
      case 'E_CONFIG_INVALID':
      case 'E_VALUE_INVALID':
        return new ApiError(400, ApiErrorCodes.BAD_REQUEST, error.message);
      case 'E_REGISTRY':
        return new ApiError(409, ApiErrorCodes.CONFLICT, error.message);
      case 'E_DATABASE_LOCKED':
      case 'E_DATABASE':
        return new ApiError(503, ApiErrorCodes.NOT_READY, error.message);
      default:
        return new ApiError(500, ApiErrorCodes.INTERNAL, error.message);
    }
  }
  return new ApiError(500, ApiErrorCodes.INTERNAL, 'internal error (logged with the request id)');
}
