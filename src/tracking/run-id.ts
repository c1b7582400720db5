import { randomBytes } from 'node:crypto';

/** A new run id: 32 lowercase hex digits, the shape MLflow gives its run ids. */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

export const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;
