/** S3 failures as one clear E_ARTIFACT line that names the endpoint and bucket. */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const CREDENTIAL_ERRORS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
  'ExpiredToken',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function s3Error(where: string, bucket: string, doing: string, error: unknown): DcgridError {
  if (error instanceof DcgridError) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  let message: string;
  if (
    (e.code && NETWORK_CODES.has(e.code)) ||
    name === 'TimeoutError' ||
    /socket hang up|ECONNREFUSED/.test(e.message ?? '')
  ) {
    message = `${where} is unreachable (${e.code ?? name}) while ${doing}; check S3_ENDPOINT and that the server runs`;
  } else if (name === 'NoSuchBucket') {
    message = `bucket "${bucket}" does not exist at ${where}; create it or fix ARTIFACT_URI`;
  } else if (CREDENTIAL_ERRORS.has(name) || status === 403) {
    message = `${where} refused the credentials while ${doing} (${name}); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY`;
  } else {
    message = `${where}: ${doing} failed: ${name}${status ? ` (HTTP ${status})` : ''}${e.message && e.message !== name ? `: ${e.message}` : ''}`;
  }
  return new DcgridError(ErrorCodes.ARTIFACT, message, {}, { cause: error });
}

export function isNotFound(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  return (
    e.name === 'NoSuchKey' ||
    e.name === 'NotFound' ||
    (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket')
  );
}
