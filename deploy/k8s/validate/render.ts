/**
 * Renders kustomize overlays with `kubectl kustomize` into plain objects. Overlays read a
 * `secrets.env` that is never committed; rendering works on a copy of deploy/k8s in which each
 * missing secrets.env is its committed secrets.env.example, so CI renders exactly what users apply.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
};

export interface RenderedOverlay {
  overlay: string;
  objects: K8sObject[];
}

/** Names of the overlays under `<k8sDir>/overlays`. */
export function overlayNames(k8sDir: string): string[] {
  return readdirSync(join(k8sDir, 'overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Parses multi-document YAML; a document that is not a Kubernetes object is an error naming it. */
export function parseObjects(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source}, document ${index + 1}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return [];
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${source}, document ${index + 1}: not a mapping`);
    }
    const object = value as Record<string, unknown>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      throw new Error(`${source}, document ${index + 1}: apiVersion and kind are required`);
    }
    return [object as K8sObject];
  });
}

/** A temporary copy of `k8sDir` with secrets.env files filled from their examples; remove() deletes it. */
export function renderableCopy(k8sDir: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dcgrid-k8s-'));
  cpSync(k8sDir, dir, { recursive: true, filter: (src) => !src.endsWith('/secrets.env') });
  for (const overlay of overlayNames(dir)) {
    const example = join(dir, 'overlays', overlay, 'secrets.env.example');
    if (existsSync(example)) cpSync(example, join(dir, 'overlays', overlay, 'secrets.env'));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function renderOverlay(k8sDir: string, overlay: string): Promise<RenderedOverlay> {
  const path = join(k8sDir, 'overlays', overlay);
  let stdout: string;
  try {
    ({ stdout } = await run('kubectl', ['kustomize', path], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`kubectl kustomize overlays/${overlay} failed: ${stderr || (error as Error).message}`);
  }
  return { overlay, objects: parseObjects(stdout, `overlays/${overlay}`) };
}
