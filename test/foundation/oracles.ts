// Validators built from the upstream files in ../shared/oracles (see its SOURCES.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { ORACLES_DIR } from '../../lab/paths.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
export const oracle = (p: string) => readFileSync(join(ORACLES_DIR, p), 'utf8');

type Schema = Record<string, unknown>;

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Kubernetes' OpenAPI formats.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('cidr', /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/);
  return ajv;
}

export function clabValidator(): ValidateFunction {
  return newAjv().compile(JSON.parse(oracle('containerlab/clab.schema.json')));
}

/** openAPIV3Schema of a CRD file for one served version. */
export function crdSchema(file: string, version: string): Schema {
  const crd = parse(oracle(file)) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file} has no version ${version}`);
  return v.schema.openAPIV3Schema;
}

export function compileSchema(schema: Schema): ValidateFunction {
  return newAjv().compile(schema);
}

/**
 * Keys the schema does not declare (the API server would prune them silently, so a renderer
 * typo would not fail `kubectl apply`). Free-form maps (additionalProperties) are not walked.
 */
export function unknownKeys(value: unknown, schema: Schema | undefined, path = ''): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, schema.items as Schema, `${path}[${i}]`));
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props || schema['x-kubernetes-preserve-unknown-fields']) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k in props ? unknownKeys(v, props[k], path ? `${path}.${k}` : k) : [path ? `${path}.${k}` : k],
  );
}

/**
 * Every key path of a chart's values.yaml, counting documented-but-commented keys
 * (`k8s: {}` followed by `  # requireIPv4PodCIDR: false` is how 1.14 documents that key).
 */
export function helmKeyPaths(valuesYaml: string): Set<string> {
  const paths = new Set<string>();
  const stack: { indent: number; key: string }[] = [];
  for (const line of valuesYaml.split('\n')) {
    const m = /^( *)(?:# ?)?([A-Za-z][\w-]*):(?: |$)/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
    const path = [...stack.map((s) => s.key), m[2]!].join('.');
    paths.add(path);
    stack.push({ indent, key: m[2]! });
  }
  return paths;
}

export function valuePaths(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? valuePaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

export interface GoStruct {
  [jsonName: string]: string;
}

/** kind's config structs: struct name → json field name → Go type. */
export function kindGoTypes(): Record<string, GoStruct> {
  const src = oracle('kind/v1alpha4-types.go');
  const structs: Record<string, GoStruct> = {};
  const inlined: [string, string][] = [];
  for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields: GoStruct = {};
    for (const f of m[2]!.matchAll(/^\s+\w+\s+([\w.[\]*]+)\s+`[^`]*json:"([^,"]+)/gm)) fields[f[2]!] = f[1]!;
    // Embedded structs with `json:",inline"` (TypeMeta) contribute their fields.
    for (const e of m[2]!.matchAll(/^\s+(\w+)\s+`[^`]*json:",inline"/gm)) inlined.push([m[1]!, e[1]!]);
    structs[m[1]!] = fields;
  }
  for (const [outer, inner] of inlined) Object.assign(structs[outer]!, structs[inner]);
  return structs;
}

/** Paths in `value` that the Go struct `type` does not declare. */
export function unknownGoFields(value: unknown, type: string, structs: Record<string, GoStruct>, path = ''): string[] {
  const base = type.replace(/^\*/, '');
  if (base.startsWith('[]')) return Array.isArray(value) ? value.flatMap((v, i) => unknownGoFields(v, base.slice(2), structs, `${path}[${i}]`)) : [];
  const struct = structs[base];
  if (!struct || value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k in struct ? unknownGoFields(v, struct[k]!, structs, path ? `${path}.${k}` : k) : [path ? `${path}.${k}` : k],
  );
}
