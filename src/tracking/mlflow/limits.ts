/**
 * MLflow's request limits, as MLflow 2.x servers apply them (mlflow/utils/validation.py, checked
 * against a real 2.22 server): a log-batch request holds at most 1000 metrics, 100 params and 100
 * tags, 1000 items in all; keys up to 250 characters; param values up to 6000 characters and tag
 * values up to 8000. A server cuts a longer value without a word, so the client cuts it first, with
 * a marker that says so (the full value stays in dcgrid's database).
 */
import type { KeyValue, MlflowMetric } from './messages.js';

export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const TRUNCATION_MARKER = '...[truncated]';

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

/** A value cut to what MLflow stores, marked so nobody takes it for the whole value. */
export function clampValue(value: string, limit: number): string {
  if (value.length <= limit) return value;
  return value.slice(0, limit - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
}

export const clampParam = (value: string): string => clampValue(value, MAX_PARAM_VALUE_LENGTH);
export const clampTag = (value: string): string => clampValue(value, MAX_TAG_VALUE_LENGTH);
