/**
 * MLflow's log-batch request limits (service.proto, "Request Limits" of LogBatch): at most 1000
 * metrics, 100 params and 100 tags, 1000 items in all, per request; keys up to 250 characters and
 * param / tag values up to 250 characters are what every server accepts.
 */
import type { KeyValue, MlflowMetric } from './messages.js';

export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;
export const MAX_VALUE_LENGTH = 250;

export interface LogBatchItems {
  metrics: MlflowMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** Splits items into requests within the limits, keeping the order of each kind. */
export function splitLogBatch(items: LogBatchItems): LogBatchItems[] {
  const batches: LogBatchItems[] = [];
  let metrics = 0;
  let params = 0;
  let tags = 0;
  while (metrics < items.metrics.length || params < items.params.length || tags < items.tags.length) {
    const p = items.params.slice(params, params + LOG_BATCH_LIMITS.params);
    const t = items.tags.slice(tags, tags + LOG_BATCH_LIMITS.tags);
    const room = Math.min(LOG_BATCH_LIMITS.metrics, LOG_BATCH_LIMITS.total - p.length - t.length);
    const m = items.metrics.slice(metrics, metrics + room);
    batches.push({ metrics: m, params: p, tags: t });
    metrics += m.length;
    params += p.length;
    tags += t.length;
  }
  return batches;
}

/** A value cut to what every MLflow server stores, marked so nobody takes it for the whole value. */
export function clampValue(value: string): string {
  if (value.length <= MAX_VALUE_LENGTH) return value;
  const marker = '...[truncated]';
  return value.slice(0, MAX_VALUE_LENGTH - marker.length) + marker;
}
