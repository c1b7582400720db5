import { ErrorCodes, isDcgridError, type ErrorCode } from '../lib/errors.js';

/** Process exit codes: scripts can tell what kind of failure happened without parsing text. */
export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  USAGE: 2,
  INPUT: 3,
  DATABASE: 4,
  DOWNLOAD: 5,
  MODEL: 6,
  MLOPS: 7,
  INTERRUPTED: 130,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  [ErrorCodes.CONFIG_INVALID]: ExitCode.USAGE,
  [ErrorCodes.INPUT_EMPTY]: ExitCode.INPUT,
  [ErrorCodes.INPUT_CORRUPT]: ExitCode.INPUT,
  [ErrorCodes.HEADER_MISSING]: ExitCode.INPUT,
  [ErrorCodes.VALUE_INVALID]: ExitCode.INPUT,
  [ErrorCodes.DUPLICATE_CONFLICT]: ExitCode.INPUT,
  [ErrorCodes.REGION_UNKNOWN]: ExitCode.INPUT,
  [ErrorCodes.NOT_FOUND]: ExitCode.INPUT,
  [ErrorCodes.INPUT_ENCODING]: ExitCode.INPUT,
  [ErrorCodes.DOWNLOAD_FAILED]: ExitCode.DOWNLOAD,
  [ErrorCodes.DATABASE_LOCKED]: ExitCode.DATABASE,
  [ErrorCodes.DATABASE]: ExitCode.DATABASE,
  [ErrorCodes.TRAINING_DATA]: ExitCode.MODEL,
  [ErrorCodes.MODEL]: ExitCode.MODEL,
  [ErrorCodes.XGBOOST]: ExitCode.MODEL,
  [ErrorCodes.ARTIFACT]: ExitCode.MLOPS,
  [ErrorCodes.TRACKING]: ExitCode.MLOPS,
  [ErrorCodes.REGISTRY]: ExitCode.MLOPS,
  [ErrorCodes.INTERRUPTED]: ExitCode.INTERRUPTED,
};

export function exitCodeFor(error: unknown): number {
  return isDcgridError(error) ? BY_CODE[error.code] : ExitCode.UNEXPECTED;
}
