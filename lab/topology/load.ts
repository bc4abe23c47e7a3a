// Loading a topology file: YAML errors with file:line:col, schema and semantic errors with
// the field path (and its line when the file has it), each saying what to change.
import { readFileSync } from 'node:fs';
import type { Document, LineCounter } from 'yaml';
import { yaml } from '../lazy-yaml.js';
import { TopologySchema, type Topology } from './schema.js';
import { validateTopology, type TopologyIssue } from './validate.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TOPOLOGY_FILE } from '../paths.js';


export class TopologyError extends UsageError {
  constructor(
    readonly file: string,
    readonly issues: TopologyIssue[],
  ) {
    super(
      `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.map(formatIssue).join('; ')}`,
      'fix the named field and run `bgp-lab topo validate FILE` again',
    );
  }
}

export function formatIssue(i: TopologyIssue): string {
  const where = i.line ? ` (line ${i.line})` : '';
  return `${i.path || '(top)'}${where}: ${i.message}`;
}

export interface LoadResult {
  topology?: Topology;
  issues: TopologyIssue[];
}

export function parseTopology(text: string, file = '<topology>'): LoadResult {
  const { LineCounter: Counter, parseDocument } = yaml();
  const lineCounter = new Counter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length) {
    return {
      issues: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { path: '', message: `YAML syntax error at ${file}:${pos?.line ?? '?'}:${pos?.col ?? '?'}: ${e.message.split('\n')[0]}`, line: pos?.line };
      }),
    };
  }
  const parsed = TopologySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((iss) => ({
        path: formatPath(iss.path as (string | number)[]),
        message: iss.message,
        line: lineOf(doc, lineCounter, iss.path as (string | number)[]),
      })),
    };
  }
  const issues = validateTopology(parsed.data).map((i) => ({ ...i, line: i.line ?? lineOf(doc, lineCounter, parsePath(i.path)) }));
  return { topology: issues.length ? undefined : parsed.data, issues };
}

export function loadTopology(file = DEFAULT_TOPOLOGY_FILE): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read topology ${file}: ${(err as Error).message}`, 'pass an existing file with --topology FILE');
  }
  const result = parseTopology(text, file);
  if (!result.topology) throw new TopologyError(file, result.issues);
  return result.topology;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

function lineOf(doc: Document, lc: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
