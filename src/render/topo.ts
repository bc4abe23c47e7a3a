// `topo show`: the fabric as a picture — spines over leaves over racks of nodes — with each
// BGP session coloured by its state when the caller knows the states (REPL after `peers`).
import type { TopoShowResult } from '../../commands/topo-show.js';
import { linesToText, seg, stateColor, type Line, type Seg } from './lines.js';
import type { TextOptions } from './text.js';

/** Session states keyed `device|peer` (either order), e.g. from a PeersResult. */
export type SessionStates = Record<string, string>;

const width = (l: Line) => l.reduce((n, s) => n + s.text.length, 0);
const padTo = (l: Line, w: number): Line => [...l, seg(' '.repeat(Math.max(0, w - width(l))))];

function box(title: Seg[], w: number): Line[] {
  const inner = w - 4;
  const t = padTo(title, inner);
  return [[seg(`┌${'─'.repeat(w - 2)}┐`, { dim: true })], [seg('│ ', { dim: true }), ...t, seg(' │', { dim: true })], [seg(`└${'─'.repeat(w - 2)}┘`, { dim: true })]];
}

/** Columns side by side, each padded to its own width. */
function sideBySide(cols: Line[][], gap = 4): Line[] {
  const widths = cols.map((c) => Math.max(0, ...c.map(width)));
  const rows = Math.max(0, ...cols.map((c) => c.length));
  const out: Line[] = [];
  for (let i = 0; i < rows; i++) out.push(cols.flatMap((c, j) => padTo(c[i] ?? [], widths[j]! + (j < cols.length - 1 ? gap : 0))));
  return out;
}

function sessionSeg(text: string, a: string, b: string, states?: SessionStates): Seg {
  const s = states?.[`${a}|${b}`] ?? states?.[`${b}|${a}`];
  // The mark says it without colour too (plain text, Slack code blocks).
  return s ? seg(`${text} ${s === 'Established' ? '✓' : `✗ ${s}`}`, { color: stateColor(s) }) : seg(text);
}

/** States the result itself carries (topo show on a running lab). */
function statesOf(r: TopoShowResult): SessionStates | undefined {
  const known = r.sessions.filter((x) => x.state);
  return known.length ? Object.fromEntries(known.map((x) => [`${x.device}|${x.peer}`, x.state!])) : undefined;
}

export function topoLines(r: TopoShowResult, opts: { width?: number; states?: SessionStates } = {}): Line[] {
  opts = { ...opts, states: statesOf(r) ?? opts.states };
  const maxWidth = opts.width ?? 160;
  const spines = r.routers.filter((x) => x.role === 'spine');
  const leafColumns = (withPods: boolean): Line[][] => r.racks.map((rack) => {
    const leaf = r.routers.find((x) => x.name === rack.leaf);
    const col: Line[] = [];
    for (const l of r.links) {
      const [a, b] = [l.a, l.b].map((e) => e.split(':') as [string, string]);
      const [mine, other] = a[0] === rack.leaf ? [a, b] : b[0] === rack.leaf ? [b, a] : [undefined, undefined];
      if (!mine || !other || !spines.some((s) => s.name === other[0])) continue;
      col.push([seg('  ▲ ', { dim: true }), sessionSeg(`${mine[1]} ─ ${other[0]}:${other[1]}`, rack.leaf, other[0], opts.states), seg(`  ${l.subnet ?? ''}`, { dim: true })]);
    }
    const title = [seg(rack.leaf, { bold: true, color: 'cyan' }), seg(`  AS${leaf?.asn ?? '?'}  id ${leaf?.routerId ?? '?'}`)];
    const nodes = r.nodes.filter((n) => n.rack === rack.name);
    const nodeW = Math.max(0, ...nodes.map((n) => n.name.length));
    const body: Line[] = [[seg(`  ${rack.name}`, { bold: true }), seg(`  ${rack.subnet} on ${rack.bridge}, gw ${rack.gateway}`, { dim: true })]];
    nodes.forEach((n, i) => {
      const pods = r.pods.filter((p) => p.node === n.name).map((p) => p.name);
      body.push([
        seg(i === nodes.length - 1 ? '  └─' : '  ├─', { dim: true }),
        sessionSeg('◆', n.name, rack.leaf, opts.states), seg(' '),
        seg(n.name.padEnd(nodeW), { bold: true }),
        seg(`  ${n.ip}  pods ${n.podCIDR}`),
        seg(withPods && pods.length ? `  ${pods.join(' ')}` : '', { dim: true }),
      ]);
    });
    const titleW = width(title) + 4;
    const colW = Math.max(titleW, ...col.map(width), ...body.map(width));
    return [...col, ...box(title, Math.min(colW, titleW + 2)), ...body];
  });
  const lines: Line[] = [[seg(`fabric ${r.name}`, { bold: true }), seg(`  ${r.routers.length} routers, ${r.nodes.length} nodes, ${r.pods.length} pods, ${r.sessions.length} BGP sessions`, { dim: true })], []];
  const spineCols = spines.map((s) => box([seg(s.name, { bold: true, color: 'magenta' }), seg(`  AS${s.asn}  id ${s.routerId}`)], s.name.length + String(s.asn).length + s.routerId.length + 14));
  const spineRow = sideBySide(spineCols, 8);
  // Racks side by side when they fit (pod names dropped first), else one under another.
  let leafCols = leafColumns(true);
  let leafRow = sideBySide(leafCols);
  if (Math.max(0, ...leafRow.map(width)) > maxWidth) {
    leafCols = leafColumns(false);
    leafRow = sideBySide(leafCols);
  }
  const fits = Math.max(0, ...leafRow.map(width)) <= maxWidth;
  if (!fits) leafCols = leafColumns(true);
  const indent = Math.max(0, Math.floor((Math.max(0, ...leafRow.map(width)) - Math.max(0, ...spineRow.map(width))) / 2));
  lines.push(...spineRow.map((l) => (fits && indent ? [seg(' '.repeat(indent)), ...l] : l)));
  if (fits) lines.push(...leafRow);
  else for (const c of leafCols) lines.push(...c, []);
  if (opts.states) lines.push([], [seg('◆ / ▲ ', { dim: true }), seg('✓ established', { color: 'green' }), seg(' · '), seg('✗ down', { color: 'red' }), seg(' · '), seg('✗ connecting', { color: 'yellow' })]);
  return lines;
}

export const topoText = (r: TopoShowResult, o: TextOptions) => linesToText(topoLines(r, { width: o.width }), o);
