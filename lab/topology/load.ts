// Loading a topology file: YAML errors with file:line:col, schema and semantic errors with
// the field path (and its line when the file has it), each saying what to change.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { yaml } from '../lazy-yaml.js';
import { TopologySchema, sizeIssues, type Topology } from './schema.js';
import { validateTopology, type TopologyIssue } from './validate.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TOPOLOGY_FILE, PROJECT_ROOT } from '../paths.js';

/**
 * Largest topology file read. The generator's largest fabric at 256 nodes (8 spines, 16 leaves)
 * was 165 KiB (the limit is now 96 nodes); YAML parsing costs ~3 ms per KiB here, so this bounds a refusal to well under a second.
 */
export const MAX_TOPOLOGY_BYTES = 256 * 1024;
/** Issues listed (each is located in the YAML, which costs a walk of the document). */
const MAX_ISSUES = 20;

/** The lab's own topologies: `--topology NAME` and `topo validate NAME` mean lab/topologies/NAME.yaml. */
export const TOPOLOGIES_DIR = join(PROJECT_ROOT, 'lab/topologies');
const TOPOLOGY_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isTopologyName(ref: string): boolean {
  return TOPOLOGY_NAME.test(ref);
}

export function builtinTopologies(): string[] {
  try {
    return readdirSync(TOPOLOGIES_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).filter(isTopologyName).sort();
  } catch {
    return [];
  }
}

/** A built-in name → its file; anything else is a path (a file in the current directory: `./NAME`). */
export function topologyPath(ref: string): string {
  if (!isTopologyName(ref)) return ref;
  if (!builtinTopologies().includes(ref))
    throw new UsageError(`no built-in topology "${ref}"`, `built-in: ${builtinTopologies().join(', ')}; a file in this directory is ./${ref}`);
  return join(TOPOLOGIES_DIR, `${ref}.yaml`);
}

/**
 * Reads a topology file: only a regular file (a FIFO, device or directory is refused without
 * blocking: O_NONBLOCK, then fstat) and at most MAX_TOPOLOGY_BYTES (read up to one byte more,
 * since /proc files say size 0).
 */
export function readTopologyFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw new UsageError(`cannot read topology ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give a built-in topology name or the path of a topology YAML file');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      throw new UsageError(`topology ${file} is ${what}, not a regular file`, 'give the path of a topology YAML file');
    }
    const tooBig = () => new UsageError(`topology ${file} is over ${MAX_TOPOLOGY_BYTES / 1024} KiB`, 'a topology is a few KiB to ~170 KiB for the largest generated fabric');
    if (st.size > MAX_TOPOLOGY_BYTES) throw tooBig();
    const buf = Buffer.alloc(MAX_TOPOLOGY_BYTES + 1);
    let got = 0;
    for (let n; got < buf.length && (n = readSync(fd, buf, got, buf.length - got, null)) > 0; ) got += n;
    if (got > MAX_TOPOLOGY_BYTES) throw tooBig();
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}


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
  if (Buffer.byteLength(text) > MAX_TOPOLOGY_BYTES) return { issues: [{ path: '', message: `over ${MAX_TOPOLOGY_BYTES / 1024} KiB` }] };
  const { LineCounter: Counter, parseDocument } = yaml();
  const lineCounter = new Counter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length) {
    return {
      issues: doc.errors.slice(0, MAX_ISSUES).map((e) => {
        const pos = e.linePos?.[0];
        return { path: '', message: `YAML syntax error at ${file}:${pos?.line ?? '?'}:${pos?.col ?? '?'}: ${e.message.split('\n')[0]}`, line: pos?.line };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { issues: [{ path: '', message: (err as Error).message.split('\n')[0]! }] };
  }
  const located = (issues: TopologyIssue[]) => capped(issues).map((i) => ({ ...i, line: i.line ?? lineOf(doc, lineCounter, parsePath(i.path)) }));
  // Sizes first: the schema and the semantic checks grow with the square of a list.
  const sizes = sizeIssues(raw);
  if (sizes.length) return { issues: located(sizes) };
  const parsed = TopologySchema.safeParse(raw);
  if (!parsed.success) {
    return { issues: located(parsed.error.issues.map((iss) => ({ path: formatPath(iss.path as (string | number)[]), message: iss.message }))) };
  }
  const issues = located(validateTopology(parsed.data));
  // Warnings (what Cilium accepts, with its consequence) leave the topology loadable.
  return { topology: issues.some((i) => i.severity !== 'warning') ? undefined : parsed.data, issues };
}

/** The first MAX_ISSUES, and a last one saying how many more. */
function capped(issues: TopologyIssue[]): TopologyIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  return [...issues.slice(0, MAX_ISSUES), { path: '', message: `and ${issues.length - MAX_ISSUES} more problems` }];
}

export function loadTopology(ref = DEFAULT_TOPOLOGY_FILE): Topology {
  const file = topologyPath(ref);
  const result = parseTopology(readTopologyFile(file), file);
  if (!result.topology) throw new TopologyError(file, result.issues.filter((i) => i.severity !== 'warning'));
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
