// Text exports of the graph, as containerlab's `graph` offers them: Mermaid (renders in
// GitHub, Slack canvases, docs), Graphviz DOT, and draw.io (with elk's positions). Every label
// is escaped for its format; ids are the model's `d0`, `e0`, so no name reaches a syntax spot.
import type { Graph, GraphEdge, GraphNode } from './model.js';
import type { Layout } from './layout.js';

export const COLORS = {
  established: '#2e9e44',
  notEstablished: '#e8890c',
  down: '#d62728',
  unknown: '#8c8c8c',
  plain: '#555555',
  fwd: '#1f6fd1',
  rev: '#9b36c9',
  fault: '#d62728',
} as const;

export function edgeColor(e: GraphEdge): string {
  if (e.link === 'down') return COLORS.down;
  if (e.session === undefined) return e.kind === 'pod' ? COLORS.plain : e.link === 'unknown' ? COLORS.unknown : COLORS.plain;
  return e.session === 'Established' ? COLORS.established : e.session === 'missing' ? COLORS.down : COLORS.notEstablished;
}

export function edgeNote(e: GraphEdge): string {
  const parts = [e.link === 'down' ? 'link down' : '', e.session && e.session !== 'Established' ? `BGP ${e.session}` : '', e.fault ? 'fault' : ''];
  return parts.filter(Boolean).join(' · ');
}

const TIER_TITLE: Record<GraphNode['tier'], string> = { spine: 'Spines', leaf: 'Leaves', node: 'Nodes', pod: 'Pods' };

const mmd = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function toMermaid(g: Graph): string {
  const out = [`%% bgp-lab graph of ${g.name}${g.at ? `, live at ${g.at}` : ' (plan: the lab is not running)'}`, 'flowchart TB'];
  const label = (n: GraphNode) => `"${[n.name, ...n.detail, ...n.problems.map((p) => `⚠ ${p}`), ...(n.fault ? ['⚡ drill fault'] : [])].map(mmd).join('<br/>')}"`;
  const shape = (n: GraphNode) => (n.tier === 'pod' ? `${n.id}([${label(n)}])` : `${n.id}[${label(n)}]`);
  for (const tier of ['spine', 'leaf'] as const) {
    out.push(`  subgraph ${tier}s["${TIER_TITLE[tier]}"]`, ...g.nodes.filter((n) => n.tier === tier).map((n) => `    ${shape(n)}`), '  end');
  }
  for (const r of g.racks) {
    out.push(`  subgraph rack_${g.racks.indexOf(r)}["${mmd(`${r.name} ${r.subnet}`)}"]`);
    for (const id of r.members) out.push(`    ${shape(g.nodes.find((n) => n.id === id)!)}`);
    out.push('  end');
  }
  g.edges.forEach((e) => {
    const text = [e.fromIf && e.toIf ? `${e.fromIf} — ${e.toIf}` : '', e.session ?? '', e.link === 'down' ? '✗ link down' : '', e.trace ? `trace ${e.trace}` : ''].filter(Boolean).join(' · ');
    const arrow = e.link === 'down' ? '-.-' : e.trace ? '===' : '---';
    out.push(`  ${e.from} ${arrow}${text ? `|"${mmd(text)}"|` : ''} ${e.to}`);
  });
  g.edges.forEach((e, i) => out.push(`  linkStyle ${i} stroke:${e.trace === 'fwd' ? COLORS.fwd : e.trace === 'rev' ? COLORS.rev : e.trace === 'both' ? COLORS.fwd : edgeColor(e)},stroke-width:${e.trace ? 4 : 2}px${e.link === 'down' ? ',stroke-dasharray:6 4' : ''}`));
  out.push(`  classDef problem fill:#fde2e2,stroke:${COLORS.down},stroke-width:2px`, `  classDef fault stroke:${COLORS.fault},stroke-width:4px,stroke-dasharray:4 2`);
  const problem = g.nodes.filter((n) => n.problems.length).map((n) => n.id);
  const fault = g.nodes.filter((n) => n.fault).map((n) => n.id);
  if (problem.length) out.push(`  class ${problem.join(',')} problem`);
  if (fault.length) out.push(`  class ${fault.join(',')} fault`);
  return `${out.join('\n')}\n`;
}

const dotEsc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const dotq = (s: string) => `"${dotEsc(s)}"`;
/** Lines of a label: each escaped, joined by DOT's own line break. */
const dotLines = (lines: string[]) => `"${lines.map(dotEsc).join('\\n')}"`;

export function toDot(g: Graph): string {
  const out = [`// bgp-lab graph of ${g.name}${g.at ? `, live at ${g.at}` : ' (plan)'}`, `graph ${dotq(g.name)} {`, '  rankdir=TB;', '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fa", fontname="DejaVu Sans", fontsize=10];', '  edge [fontname="DejaVu Sans", fontsize=9];'];
  const node = (n: GraphNode) =>
    `${n.id} [label=${dotLines([n.name, ...n.detail, ...n.problems.map((p) => `! ${p}`), ...(n.fault ? ['drill fault'] : [])])}${n.tier === 'pod' ? ', shape=ellipse' : ''}${n.problems.length ? `, fillcolor="#fde2e2", color="${COLORS.down}"` : ''}${n.fault ? `, penwidth=3, color="${COLORS.fault}"` : ''}];`;
  for (const tier of ['spine', 'leaf'] as const) out.push(`  { rank=same; ${g.nodes.filter((n) => n.tier === tier).map(node).join(' ')} }`);
  g.racks.forEach((r, i) => {
    out.push(`  subgraph cluster_${i} { label=${dotq(`${r.name} ${r.subnet}`)}; style=dashed; color="#9aa5b1";`);
    for (const id of r.members) out.push(`    ${node(g.nodes.find((n) => n.id === id)!)}`);
    out.push('  }');
  });
  for (const e of g.edges) {
    const attrs = [`color="${e.trace === 'fwd' || e.trace === 'both' ? COLORS.fwd : e.trace === 'rev' ? COLORS.rev : edgeColor(e)}"`, `penwidth=${e.trace ? 3 : 1.5}`];
    if (e.fromIf) attrs.push(`taillabel=${dotq(e.fromIf)}`);
    if (e.toIf) attrs.push(`headlabel=${dotq(e.toIf)}`);
    const note = [e.session, edgeNote(e)].filter(Boolean).join(' · ');
    if (note) attrs.push(`label=${dotq(note)}`);
    if (e.link === 'down') attrs.push('style=dashed');
    out.push(`  ${e.from} -- ${e.to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** draw.io (diagrams.net) file: one page, devices where elk placed them. */
export function toDrawio(g: Graph, layout: Layout): string {
  const cells: string[] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  for (const n of g.nodes) {
    const b = layout.boxes.get(n.id)!;
    const value = [n.name, ...n.detail, ...n.problems, ...(n.fault ? ['drill fault'] : [])].map(xml).join('&lt;br&gt;');
    const style = `rounded=1;whiteSpace=wrap;html=1;fillColor=${n.problems.length ? '#fde2e2' : '#f4f6fa'};strokeColor=${n.fault || n.problems.length ? COLORS.down : '#4a5568'};${n.fault ? 'strokeWidth=3;dashed=1;' : ''}${n.tier === 'pod' ? 'ellipse;' : ''}`;
    cells.push(`<mxCell id="${n.id}" value="${value}" style="${style}" vertex="1" parent="1"><mxGeometry x="${Math.round(b.x)}" y="${Math.round(b.y)}" width="${Math.round(b.w)}" height="${Math.round(b.h)}" as="geometry"/></mxCell>`);
  }
  for (const e of g.edges) {
    const label = [e.fromIf && e.toIf ? `${e.fromIf} — ${e.toIf}` : '', e.session ?? '', edgeNote(e)].filter(Boolean).join(' · ');
    const color = e.trace === 'fwd' || e.trace === 'both' ? COLORS.fwd : e.trace === 'rev' ? COLORS.rev : edgeColor(e);
    cells.push(`<mxCell id="${e.id}" value="${xml(label)}" style="endArrow=none;html=1;strokeColor=${color};strokeWidth=${e.trace ? 3 : 2};${e.link === 'down' ? 'dashed=1;' : ''}fontSize=9;" edge="1" parent="1" source="${e.from}" target="${e.to}"><mxGeometry relative="1" as="geometry"/></mxCell>`);
  }
  return `<mxfile host="bgp-lab"><diagram name="${xml(g.name)}" id="bgp-lab"><mxGraphModel dx="${Math.round(layout.width)}" dy="${Math.round(layout.height)}" grid="0"><root>${cells.join('')}</root></mxGraphModel></diagram></mxfile>\n`;
}
