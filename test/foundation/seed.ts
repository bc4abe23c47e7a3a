// Reads the seed guide's code blocks (../shared/seed), so drift of the guide or of the
// renderers fails the foundation tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SEED_DIR } from '../../lab/paths.js';

export function seedBlocks(): string[] {
  const md = readFileSync(join(SEED_DIR, 'cilium-bgp-control-plane-lab.md'), 'utf8');
  const blocks: string[] = [];
  // Fences inside list items are indented; strip that indent from every line of the block.
  for (const m of md.matchAll(/^( *)```\w*\n([\s\S]*?)^\1```/gm)) {
    const indent = m[1]!.length;
    blocks.push(m[2]!.split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n'));
  }
  return blocks;
}

function block(containing: string): string {
  const b = seedBlocks().find((x) => x.includes(containing));
  if (!b) throw new Error(`no seed block contains ${containing}`);
  return b;
}

/** Text of the here-document opened on the line containing `opener`. */
function heredoc(text: string, opener: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes(opener));
  const end = lines.findIndex((l, i) => i > start && l === 'EOF');
  if (start < 0 || end < 0) throw new Error(`no here-document after ${opener}`);
  return lines.slice(start + 1, end).join('\n');
}

export const seedKindConfig = () => parse(heredoc(block('kind create cluster'), 'kind create cluster'));
export const seedClab = () => parse(heredoc(block('clab deploy'), 'clab deploy'));
export const seedPeeringPolicies = () =>
  parseAllDocuments(heredoc(block('CiliumBGPPeeringPolicy'), 'kubectl apply')).map((d) => d.toJS()).filter(Boolean);
export const seedDemoApp = () => parseAllDocuments(block('kind: DaemonSet')).map((d) => d.toJS()).filter(Boolean);

/** The seed's `helm install … --set a.b=c` flags as a values object (helm's typing of true/false). */
export function seedHelmValues(): Record<string, unknown> {
  // Comment lines mention flags the guide says not to set.
  const text = block('helm install').split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n').replace(/\\\n/g, ' ');
  const values: Record<string, unknown> = {};
  for (const m of text.matchAll(/--set\s+([\w.]+)=(\S+)/g)) {
    const path = m[1]!.split('.');
    let cur = values;
    for (const p of path.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[path.at(-1)!] = m[2] === 'true' ? true : m[2] === 'false' ? false : m[2];
  }
  return values;
}

export const seedCiliumVersion = () => /--version\s+(\S+)/.exec(block('helm install'))![1]!;
