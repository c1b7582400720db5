/** A registered version as plain JSON: what `dcgrid models list --json` and GET /api/models print. */
import type { ModelVersionRecord } from './types.js';

export interface ModelVersionJson {
  region: string;
  target: string;
  model: string;
  version: number;
  alias: string;
  artifactUri: string;
  runId: string | null;
  metrics: Record<string, number | null>;
  dataFingerprint: string;
  createdAt: string;
  mlflow: { name: string; version: string | null } | null;
}

export function versionJson(v: ModelVersionRecord): ModelVersionJson {
  return {
    region: v.region,
    target: v.target,
    model: v.model,
    version: v.version,
    alias: v.alias,
    artifactUri: v.artifactUri,
    runId: v.runId,
    metrics: Object.fromEntries(
      Object.entries(v.metrics).map(([k, m]) => [k, m !== null && Number.isFinite(m) ? m : null]),
    ),
    dataFingerprint: v.dataFingerprint,
    createdAt: v.createdAt.toISOString(),
    mlflow: v.mlflowName !== null ? { name: v.mlflowName, version: v.mlflowVersion } : null,
  };
}
