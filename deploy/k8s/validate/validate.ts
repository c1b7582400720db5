/**
 * Renders every overlay under deploy/k8s/overlays and checks every object: types and required
 * fields (kubernetes-models), unknown fields (FieldChecker), and policy (policy.ts).
 *   npx tsx deploy/k8s/validate/validate.ts [k8s-dir]    exit 1 when any object has a problem
 * Pods are not started: this proves the manifests are well-formed and follow the policy, not that
 * they run (docs/DEPLOY.md).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FieldChecker } from './fields.js';
import { modelProblems } from './models.js';
import { policyProblems } from './policy.js';
import {
  overlayNames,
  renderableCopy,
  renderOverlay,
  type K8sObject,
  type RenderedOverlay,
} from './render.js';

export interface Problem {
  overlay: string;
  object: string;
  problem: string;
}

export interface Report {
  overlays: { overlay: string; objects: number; kinds: Record<string, number> }[];
  objects: number;
  problems: Problem[];
}

export const K8S_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Checks rendered overlays (objects already parsed). */
export async function checkRendered(rendered: RenderedOverlay[]): Promise<Report> {
  const fields = new FieldChecker(rendered.flatMap((r) => r.objects));
  const problems: Problem[] = [];
  for (const { overlay, objects } of rendered) {
    for (const object of objects) {
      const name = `${object.kind}/${object.metadata?.name ?? '?'}`;
      for (const problem of await modelProblems(object)) problems.push({ overlay, object: name, problem });
      for (const problem of fields.unknownFields(object)) problems.push({ overlay, object: name, problem });
    }
    for (const { object, problem } of policyProblems(objects)) problems.push({ overlay, object, problem });
  }
  return {
    overlays: rendered.map(({ overlay, objects }) => ({
      overlay,
      objects: objects.length,
      kinds: countKinds(objects),
    })),
    objects: rendered.reduce((sum, r) => sum + r.objects.length, 0),
    problems,
  };
}

/** Renders and checks every overlay of a deploy/k8s-shaped folder. */
export async function validateK8s(k8sDir: string = K8S_DIR): Promise<Report> {
  const copy = renderableCopy(k8sDir);
  try {
    const rendered: RenderedOverlay[] = [];
    for (const overlay of overlayNames(copy.dir)) rendered.push(await renderOverlay(copy.dir, overlay));
    return await checkRendered(rendered);
  } finally {
    copy.remove();
  }
}

function countKinds(objects: K8sObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of objects) counts[object.kind] = (counts[object.kind] ?? 0) + 1;
  return counts;
}

export function formatReport(report: Report): string {
  const lines = report.overlays.map(
    ({ overlay, objects, kinds }) =>
      `overlays/${overlay}: ${objects} objects (${Object.entries(kinds)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ')})`,
  );
  lines.push(`${report.objects} objects checked: types and required fields, unknown fields, policy`);
  for (const p of report.problems) lines.push(`  overlays/${p.overlay} ${p.object}: ${p.problem}`);
  lines.push(report.problems.length === 0 ? 'no problems' : `${report.problems.length} problems`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] === undefined ? K8S_DIR : resolve(process.argv[2]);
  validateK8s(dir).then(
    (report) => {
      console.log(formatReport(report));
      process.exitCode = report.problems.length === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error(`validate: ${(error as Error).message}`);
      process.exitCode = 2;
    },
  );
}
