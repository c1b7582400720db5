import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseObjects, renderableCopy } from './render.js';
import { checkRendered, K8S_DIR, validateK8s } from './validate.js';

const run = promisify(execFile);

/** A small valid overlay's worth of objects; each test breaks one thing in it. */
function objects(): ReturnType<typeof parseObjects> {
  return parseObjects(
    `
apiVersion: v1
kind: ConfigMap
metadata: { name: config-abcde12345, namespace: dcgrid }
data: { REGION: IE }
---
apiVersion: v1
kind: Secret
metadata: { name: secrets-abcde12345, namespace: dcgrid }
data: { DATABASE_URL: cG9zdGdyZXM6Ly94 }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: dcgrid }
spec:
  selector: { app: api }
  ports: [{ port: 8080, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: dcgrid }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 1000 }
      containers:
        - name: api
          image: dcgrid/dcgrid:0.1.0
          ports: [{ name: http, containerPort: 8080 }]
          envFrom: [{ configMapRef: { name: config-abcde12345 } }, { secretRef: { name: secrets-abcde12345 } }]
          readinessProbe: { httpGet: { path: /readyz, port: http } }
          livenessProbe: { httpGet: { path: /healthz, port: http } }
          resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: '1', memory: 1Gi } }
          securityContext: { allowPrivilegeEscalation: false }
`,
    'fixture',
  );
}

type Objects = ReturnType<typeof objects>;
type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited by path

async function problemsAfter(edit: (objects: Objects) => void): Promise<string[]> {
  const list = objects();
  edit(list);
  const report = await checkRendered([{ overlay: 'test', objects: list }]);
  return report.problems.map((p) => `${p.object}: ${p.problem}`);
}

const deployment = (list: Objects) => list.find((o) => o.kind === 'Deployment') as Mutable;
const container = (list: Objects) => deployment(list).spec.template.spec.containers[0] as Mutable;

describe('Kubernetes manifest checks', () => {
  it('accept the fixture as it is', async () => {
    expect(await problemsAfter(() => {})).toEqual([]);
  });

  it('catch an unknown (misspelt) field and name the field it was meant to be', async () => {
    const problems = await problemsAfter((list) => {
      const c = container(list);
      c.readinesProbe = c.readinessProbe;
      delete c.readinessProbe;
    });
    expect(problems).toContain(
      'Deployment/api: unknown field spec.template.spec.containers[0].readinesProbe (did you mean readinessProbe?)',
    );
    expect(problems).toContain('Deployment/api: container api: no readinessProbe');
  });

  it('catch a missing required field and a wrong type', async () => {
    const problems = await problemsAfter((list) => {
      delete deployment(list).spec.selector;
      deployment(list).spec.replicas = 'two';
    });
    expect(problems.some((p) => p.startsWith('Deployment/api: ') && p.includes('selector'))).toBe(true);
    expect(problems.some((p) => p.includes('/spec/replicas'))).toBe(true);
  });

  it('catch policy breaches: latest tag, no limits, root, inline secrets, bad references', async () => {
    const problems = await problemsAfter((list) => {
      const c = container(list);
      c.image = 'dcgrid/dcgrid:latest';
      delete c.resources.limits;
      deployment(list).spec.template.spec.securityContext = { runAsUser: 0 };
      c.env = [
        { name: 'POSTGRES_PASSWORD', value: 'hunter2' },
        { name: 'DATABASE_URL', value: 'postgres://dcgrid:hunter2@db/dcgrid' },
      ];
      c.envFrom[0].configMapRef.name = 'config-missing';
      list.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'inline', namespace: 'dcgrid' } });
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'Deployment/api: container api: image dcgrid/dcgrid:latest uses the latest tag',
        'Deployment/api: container api: no resources.limits.cpu',
        'Deployment/api: container api: no resources.limits.memory',
        'Deployment/api: container api: runAsNonRoot is not true',
        'Deployment/api: container api: runAsUser is 0 (root)',
        'Deployment/api: container api: env POSTGRES_PASSWORD has an inline value; take it from a Secret (secretKeyRef)',
        'Deployment/api: container api: env DATABASE_URL has a password in a URL; take it from a Secret',
        'Deployment/api: container api: envFrom ConfigMap config-missing does not exist',
        'Secret/inline: an inline Secret manifest; generate Secrets from an env file (secretGenerator)',
      ]),
    );
  });

  it('catch a Service that selects no pods and a CronJob that may overlap', async () => {
    const problems = await problemsAfter((list) => {
      (list.find((o) => o.kind === 'Service') as Mutable).spec.selector = { app: 'apu' };
      list.push({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'pipeline', namespace: 'dcgrid' },
        spec: {
          schedule: '15 6 * * *',
          jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [] } } } },
        },
      });
    });
    expect(problems).toContain(
      'Service/api: selector {"app":"apu"} matches no Deployment or StatefulSet pods',
    );
    expect(problems).toContain('CronJob/pipeline: concurrencyPolicy is not Forbid (two runs could overlap)');
    expect(problems).toContain('CronJob/pipeline: no containers');
  });

  it('pass every overlay in deploy/k8s', async () => {
    const report = await validateK8s();
    expect(report.problems).toEqual([]);
    expect(report.overlays.map((o) => o.overlay)).toEqual(['k3s', 'k3s-ingest', 'k3s-train', 'managed']);
    expect(report.objects).toBeGreaterThan(50);
  });

  it('fail the command (exit 1) when a manifest in the tree is broken', async () => {
    const copy = renderableCopy(K8S_DIR);
    try {
      const api = join(copy.dir, 'base', 'api.yaml');
      writeFileSync(api, readFileSync(api, 'utf8').replace('livenessProbe:', 'livenesProbe:'));
      const matrix = join(copy.dir, 'jobs', 'train', 'matrix.txt');
      writeFileSync(matrix, `${readFileSync(matrix, 'utf8')}NI demand_mw xgb\n`);
      const script = join(K8S_DIR, 'validate', 'validate.ts');
      const failure = await run('npx', ['tsx', script, copy.dir]).then(
        () => undefined,
        (error: { code?: number; stdout?: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stdout).toContain(
        'Deployment/api: unknown field spec.template.spec.containers[0].livenesProbe',
      );
      expect(failure?.stdout).toContain('Job/train: completions is 3 but the matrix has 4 lines');
    } finally {
      copy.remove();
    }
  });
});
