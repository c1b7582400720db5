/**
 * Types and required fields, checked by the kubernetes-models package's own validators (generated
 * from Kubernetes' OpenAPI schema): one model class per apiVersion and kind.
 */
import type { K8sObject } from './render.js';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The kubernetes-models module of an apiVersion/kind: `v1/Service`, `apps/v1/Deployment`. */
export function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const classes = new Map<string, Promise<ModelClass | undefined>>();

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  let found = classes.get(key);
  if (found === undefined) {
    found = import(modelModule(apiVersion, kind)).then(
      (module: Record<string, unknown>) => module[kind] as ModelClass | undefined,
      () => undefined,
    );
    classes.set(key, found);
  }
  return found;
}

/** Problems with an object's types and required fields; an unknown apiVersion/kind is one. */
export async function modelProblems(object: K8sObject): Promise<string[]> {
  const Model = await modelClass(object.apiVersion, object.kind);
  if (Model === undefined) return [`unknown apiVersion/kind ${object.apiVersion} ${object.kind}`];
  try {
    new Model(withUnwrappedSecretData(object)).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (details === undefined) return [(error as Error).message];
    return details.map((d) => `${d.instancePath || '/'} ${d.message ?? 'is invalid'}`);
  }
}

/**
 * kustomize wraps long base64 values in Secret data at 70 characters; the API server's decoder
 * skips the line breaks, kubernetes-models' "byte" format does not. Checked without them.
 */
function withUnwrappedSecretData(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || object.data === null || typeof object.data !== 'object') return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replace(/\s+/g, '') : value,
    ]),
  );
  return { ...object, data };
}
