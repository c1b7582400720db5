/**
 * The parts of MLflow's REST API 2.0 messages that dcgrid reads (field names as in MLflow's
 * service.proto and model_registry.proto). Unknown fields are ignored; int64 fields are accepted as
 * JSON numbers or as decimal strings, since protobuf's JSON mapping allows both.
 */
import { z } from 'zod';

const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
const keyValue = z.object({ key: z.string(), value: z.string().default('') });

export const RUN_STATUS_VALUES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().optional(),
  tags: z.array(keyValue).optional(),
});
export type MlflowExperiment = z.infer<typeof experimentSchema>;

export const runInfoSchema = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  run_name: z.string().optional(),
  status: z.enum(RUN_STATUS_VALUES),
  start_time: int64.optional(),
  end_time: int64.optional(),
  artifact_uri: z.string().optional(),
  lifecycle_stage: z.string().optional(),
});
export type MlflowRunInfo = z.infer<typeof runInfoSchema>;

export type MlflowArtifactFile = z.infer<typeof responses.listArtifacts>['files'][number];

export const metricSchema = z.object({
  key: z.string(),
  // Non-finite values travel as the JSON strings "NaN", "Infinity" and "-Infinity".
  value: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]),
  timestamp: int64,
  step: int64.default(0),
});

export type MlflowMetricPoint = z.infer<typeof metricSchema>;

export const runSchema = z.object({
  info: runInfoSchema,
  data: z
    .object({
      metrics: z.array(metricSchema).default([]),
      params: z.array(keyValue).default([]),
      tags: z.array(keyValue).default([]),
    })
    .default({ metrics: [], params: [], tags: [] }),
});
export type MlflowRun = z.infer<typeof runSchema>;

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.union([z.string(), z.number()]).transform(String),
  creation_timestamp: int64.optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(keyValue).default([]),
  aliases: z.array(z.string()).default([]),
});
export type MlflowModelVersion = z.infer<typeof modelVersionSchema>;

export const registeredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: int64.optional(),
  description: z.string().optional(),
  tags: z.array(keyValue).default([]),
  aliases: z
    .array(z.object({ alias: z.string(), version: z.union([z.string(), z.number()]).transform(String) }))
    .default([]),
});
export type MlflowRegisteredModel = z.infer<typeof registeredModelSchema>;

export const responses = {
  getExperimentByName: z.object({ experiment: experimentSchema }),
  createExperiment: z.object({ experiment_id: z.string() }),
  createRun: z.object({ run: runSchema }),
  getRun: z.object({ run: runSchema }),
  updateRun: z.object({ run_info: runInfoSchema }),
  searchRuns: z.object({ runs: z.array(runSchema).default([]), next_page_token: z.string().optional() }),
  empty: z.object({}),
  registeredModel: z.object({ registered_model: registeredModelSchema }),
  modelVersion: z.object({ model_version: modelVersionSchema }),
  metricHistory: z.object({
    metrics: z.array(metricSchema).default([]),
    next_page_token: z.string().optional(),
  }),
  listArtifacts: z.object({
    root_uri: z.string().optional(),
    files: z
      .array(z.object({ path: z.string(), is_dir: z.boolean().default(false), file_size: int64.optional() }))
      .default([]),
    next_page_token: z.string().optional(),
  }),
  downloadUri: z.object({ artifact_uri: z.string() }),
  searchModelVersions: z.object({
    model_versions: z.array(modelVersionSchema).default([]),
    next_page_token: z.string().optional(),
  }),
};

export interface KeyValue {
  key: string;
  value: string;
}

export interface MlflowMetric {
  key: string;
  /** NaN and infinities are sent as MLflow's JSON strings for them. */
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  timestamp: number;
  step: number;
}
