/**
 * dcgrid's deployment policy over a rendered overlay (all objects together, so references can be
 * checked): resources, probes, non-root, pinned images, no inlined secrets, references that
 * resolve, Services that select pods, CronJobs that never overlap, Job matrices that match.
 */
import type { K8sObject } from './render.js';

type Dict = Record<string, unknown>;

interface Container extends Dict {
  name?: string;
  image?: string;
  env?: { name: string; value?: string; valueFrom?: Dict }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Dict; limits?: Dict };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: Dict;
  ports?: { name?: string; containerPort: number }[];
}

interface PodSpec extends Dict {
  containers?: Container[];
  initContainers?: Container[];
  securityContext?: Dict;
  volumes?: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[];
}

interface Workload {
  object: K8sObject;
  pod: PodSpec;
  labels: Dict;
  longRunning: boolean;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
]);
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;
const GENERATED_SUFFIX = /-[a-z0-9]{10}$/;

function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Dict)[key];
  }
  return current;
}

function label(object: K8sObject): string {
  return `${object.kind}/${object.metadata?.name ?? '?'}`;
}

export function workloads(objects: K8sObject[]): Workload[] {
  const found: Workload[] = [];
  for (const object of objects) {
    const template =
      object.kind === 'CronJob'
        ? get(object, 'spec', 'jobTemplate', 'spec', 'template')
        : ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(object.kind)
          ? get(object, 'spec', 'template')
          : object.kind === 'Pod'
            ? { spec: object.spec, metadata: object.metadata }
            : undefined;
    const pod = get(template, 'spec') as PodSpec | undefined;
    if (pod === undefined) continue;
    const labels = (get(template, 'metadata', 'labels') ?? {}) as Dict;
    const longRunning = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(object.kind);
    found.push({ object, pod, labels, longRunning });
  }
  return found;
}

function imageProblems(image: string | undefined): string[] {
  if (image === undefined || image === '') return ['has no image'];
  if (image.includes('@sha256:')) return [];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':')) return [`image ${image} has no tag (it means latest)`];
  if (lastSegment.endsWith(':latest')) return [`image ${image} uses the latest tag`];
  return [];
}

function containerProblems(workload: Workload, container: Container, init: boolean): string[] {
  const where = `${init ? 'initContainer' : 'container'} ${container.name ?? '?'}`;
  const problems = imageProblems(container.image).map((p) => `${where}: ${p}`);
  for (const [kind, keys] of [
    ['requests', ['cpu', 'memory']],
    ['limits', ['cpu', 'memory']],
  ] as const) {
    for (const key of keys) {
      if (get(container, 'resources', kind, key) === undefined)
        problems.push(`${where}: no resources.${kind}.${key}`);
    }
  }
  if (!init && workload.longRunning) {
    if (container.readinessProbe === undefined) problems.push(`${where}: no readinessProbe`);
    if (container.livenessProbe === undefined) problems.push(`${where}: no livenessProbe`);
  }
  const security = container.securityContext ?? {};
  const podSecurity = workload.pod.securityContext ?? {};
  const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
  const user = security.runAsUser ?? podSecurity.runAsUser;
  if (nonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
  if (user === 0) problems.push(`${where}: runAsUser is 0 (root)`);
  if (security.privileged === true) problems.push(`${where}: privileged`);
  if (security.allowPrivilegeEscalation !== false)
    problems.push(`${where}: allowPrivilegeEscalation is not false`);
  for (const variable of container.env ?? []) {
    if (variable.value === undefined || variable.value === '') continue;
    if (SECRET_NAME.test(variable.name)) {
      problems.push(
        `${where}: env ${variable.name} has an inline value; take it from a Secret (secretKeyRef)`,
      );
    } else if (URL_WITH_PASSWORD.test(variable.value)) {
      problems.push(`${where}: env ${variable.name} has a password in a URL; take it from a Secret`);
    }
  }
  return problems;
}

export function policyProblems(objects: K8sObject[]): { object: string; problem: string }[] {
  const problems: { object: string; problem: string }[] = [];
  const add = (object: K8sObject, problem: string) => problems.push({ object: label(object), problem });
  const names = (kind: string) =>
    new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata?.name ?? ''));
  const configMaps = names('ConfigMap');
  const secrets = names('Secret');
  const claims = names('PersistentVolumeClaim');

  for (const object of objects) {
    if (!CLUSTER_SCOPED.has(object.kind) && !object.metadata?.namespace) add(object, 'no metadata.namespace');
    if (object.kind === 'Secret' && !GENERATED_SUFFIX.test(object.metadata?.name ?? '')) {
      add(object, 'an inline Secret manifest; generate Secrets from an env file (secretGenerator)');
    }
    if (object.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries((object.data ?? {}) as Dict)) {
        if (SECRET_NAME.test(key) && typeof value === 'string' && value !== '') {
          add(object, `data.${key} looks like a secret; put it in the Secret`);
        } else if (typeof value === 'string' && URL_WITH_PASSWORD.test(value)) {
          add(object, `data.${key} has a password in a URL; put it in the Secret`);
        }
      }
    }
    if (object.kind === 'CronJob' && get(object, 'spec', 'concurrencyPolicy') !== 'Forbid') {
      add(object, 'concurrencyPolicy is not Forbid (two runs could overlap)');
    }
  }

  const allWorkloads = workloads(objects);
  for (const workload of allWorkloads) {
    const { object, pod } = workload;
    const containers = pod.containers ?? [];
    if (containers.length === 0) add(object, 'no containers');
    for (const c of pod.initContainers ?? [])
      for (const p of containerProblems(workload, c, true)) add(object, p);
    for (const c of containers) for (const p of containerProblems(workload, c, false)) add(object, p);
    for (const c of [...(pod.initContainers ?? []), ...containers]) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !configMaps.has(from.configMapRef.name)) {
          add(object, `container ${c.name}: envFrom ConfigMap ${from.configMapRef.name} does not exist`);
        }
        if (from.secretRef && !secrets.has(from.secretRef.name)) {
          add(object, `container ${c.name}: envFrom Secret ${from.secretRef.name} does not exist`);
        }
      }
      for (const variable of c.env ?? []) {
        const cm = get(variable, 'valueFrom', 'configMapKeyRef') as
          { name: string; optional?: boolean } | undefined;
        const sec = get(variable, 'valueFrom', 'secretKeyRef') as
          { name: string; optional?: boolean } | undefined;
        if (cm && !cm.optional && !configMaps.has(cm.name)) {
          add(object, `container ${c.name}: env ${variable.name} refers to a missing ConfigMap ${cm.name}`);
        }
        if (sec && !sec.optional && !secrets.has(sec.name)) {
          add(object, `container ${c.name}: env ${variable.name} refers to a missing Secret ${sec.name}`);
        }
      }
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.configMap && !configMaps.has(volume.configMap.name)) {
        add(object, `volume ${volume.name}: ConfigMap ${volume.configMap.name} does not exist`);
      }
      if (volume.secret && !secrets.has(volume.secret.secretName)) {
        add(object, `volume ${volume.name}: Secret ${volume.secret.secretName} does not exist`);
      }
      const claim = get(volume, 'persistentVolumeClaim', 'claimName') as string | undefined;
      if (claim !== undefined && !claims.has(claim))
        add(object, `volume ${volume.name}: PVC ${claim} does not exist`);
    }
    problems.push(
      ...matrixProblems(workload, objects).map((problem) => ({ object: label(object), problem })),
    );
  }

  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const selector = get(service, 'spec', 'selector') as Dict | undefined;
    if (selector === undefined) continue;
    const targets = allWorkloads.filter(
      (w) => w.longRunning && Object.entries(selector).every(([k, v]) => w.labels[k] === v),
    );
    if (targets.length === 0) {
      add(service, `selector ${JSON.stringify(selector)} matches no Deployment or StatefulSet pods`);
      continue;
    }
    const ports = (get(service, 'spec', 'ports') ?? []) as { targetPort?: unknown }[];
    for (const port of ports) {
      if (typeof port.targetPort !== 'string') continue;
      const named = targets.some((w) =>
        (w.pod.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)),
      );
      if (!named) add(service, `targetPort ${port.targetPort} is not a named port of the selected pods`);
    }
  }
  return problems;
}

/** An Indexed Job reading a `matrix` ConfigMap runs one pod per matrix line: completions must agree. */
function matrixProblems(workload: Workload, objects: K8sObject[]): string[] {
  const { object, pod } = workload;
  if (object.kind !== 'Job' || get(object, 'spec', 'completionMode') !== 'Indexed') return [];
  const problems: string[] = [];
  for (const volume of pod.volumes ?? []) {
    const configMap = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata?.name === volume.configMap?.name,
    );
    const matrix = get(configMap, 'data', 'matrix');
    if (typeof matrix !== 'string') continue;
    const lines = matrix
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    const completions = get(object, 'spec', 'completions');
    if (completions !== lines.length) {
      problems.push(`completions is ${String(completions)} but the matrix has ${lines.length} lines`);
    }
  }
  return problems;
}
