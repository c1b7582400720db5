/**
 * Unknown fields: every key of an object must be a field of its Kubernetes type. kubernetes-models'
 * validators do not check this (a misspelt `readinesProbe` passes them and the API server drops it
 * silently), so the field lists are read here from the same package's TypeScript declarations,
 * generated from the same OpenAPI schema, with the TypeScript compiler.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { modelModule } from './models.js';
import type { K8sObject } from './render.js';

const require = createRequire(import.meta.url);

export class FieldChecker {
  readonly #program: ts.Program;
  readonly #checker: ts.TypeChecker;
  readonly #roots = new Map<string, ts.Type | undefined>();

  /** `kinds`: the apiVersion/kind pairs to be checked (their declarations are loaded together). */
  constructor(kinds: { apiVersion: string; kind: string }[]) {
    const files = new Set<string>();
    for (const { apiVersion, kind } of kinds) {
      const file = declarationFile(apiVersion, kind);
      if (file !== undefined) files.add(file);
    }
    // Node10 resolution: the declarations import each other without file extensions.
    this.#program = ts.createProgram([...files], {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    this.#checker = this.#program.getTypeChecker();
  }

  /** Paths of fields the object's type does not have, with the nearest known name when close. */
  unknownFields(object: K8sObject): string[] {
    const type = this.#rootType(object.apiVersion, object.kind);
    if (type === undefined) return [];
    const problems: string[] = [];
    this.#walk(object, type, '', problems);
    return problems;
  }

  #rootType(apiVersion: string, kind: string): ts.Type | undefined {
    const key = `${apiVersion}/${kind}`;
    if (!this.#roots.has(key)) {
      const file = declarationFile(apiVersion, kind);
      const source = file === undefined ? undefined : this.#program.getSourceFile(file);
      const symbol = source === undefined ? undefined : this.#checker.getSymbolAtLocation(source);
      const declared = symbol === undefined ? undefined : this.#checker.getExportsOfModule(symbol);
      const iface = declared?.find((s) => s.getName() === `I${kind}`);
      this.#roots.set(key, iface === undefined ? undefined : this.#checker.getDeclaredTypeOfSymbol(iface));
    }
    return this.#roots.get(key);
  }

  #walk(value: unknown, declared: ts.Type, path: string, problems: string[]): void {
    const type = this.#checker.getNonNullableType(declared);
    if (Array.isArray(value)) {
      const element = this.#elementType(type);
      if (element !== undefined)
        value.forEach((item, i) => this.#walk(item, element, `${path}[${i}]`, problems));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const shape = this.#objectShape(type);
    if (shape === undefined) return; // free-form (JSON, RawExtension): anything goes
    for (const [key, child] of Object.entries(value)) {
      const property = shape.getProperty(key);
      const childPath = path === '' ? key : `${path}.${key}`;
      if (property !== undefined) {
        this.#walk(child, this.#checker.getTypeOfSymbol(property), childPath, problems);
        continue;
      }
      const index = this.#checker.getIndexInfoOfType(shape, ts.IndexKind.String);
      if (index !== undefined) {
        this.#walk(child, index.type, childPath, problems);
        continue;
      }
      const known = shape.getProperties().map((p) => p.getName());
      const near = nearest(key, known);
      problems.push(`unknown field ${childPath}${near === undefined ? '' : ` (did you mean ${near}?)`}`);
    }
  }

  #elementType(type: ts.Type): ts.Type | undefined {
    if (this.#checker.isArrayType(type)) return this.#checker.getTypeArguments(type as ts.TypeReference)[0];
    return undefined;
  }

  /** The object type to check keys against, or undefined when the type accepts any keys. */
  #objectShape(type: ts.Type): ts.Type | undefined {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
    const candidates = type.isUnion() ? type.types : [type];
    const objects = candidates.filter((t) => t.flags & ts.TypeFlags.Object && !this.#checker.isArrayType(t));
    if (objects.length !== 1) return undefined;
    const shape = objects[0]!;
    const hasKeys = shape.getProperties().length > 0;
    const hasIndex = this.#checker.getIndexInfoOfType(shape, ts.IndexKind.String) !== undefined;
    return hasKeys || hasIndex ? shape : undefined;
  }
}

/** The package's exports map hides its .d.ts files from require.resolve: found from its root. */
const MODELS_ROOT = dirname(require.resolve('kubernetes-models'));

function declarationFile(apiVersion: string, kind: string): string | undefined {
  const file = join(MODELS_ROOT, '..', `${modelModule(apiVersion, kind)}.d.ts`);
  return existsSync(file) ? file : undefined;
}

/** The known name nearest to `key` (edit distance at most 2 or a case difference), if any. */
export function nearest(key: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
