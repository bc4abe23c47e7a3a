// The picture: elk's layout drawn as SVG (rack boxes, device boxes by tier, cables with the
// interface at each end, coloured by the session over them, a ✗ on a link that is down, the
// fault ringed for the game master, a trace's request and reply as two coloured overlays),
// with a legend and the notes under it. resvg (png.ts) turns it into a PNG.
import type { Graph, GraphEdge, GraphNode } from './model.js';
import { LINE_H, type Box, type Layout } from './layout.js';
import { COLORS, edgeColor } from './formats.js';

export const FONT = 'DejaVu Sans, Verdana, sans-serif';
/** Under a cable the drill's fault is on (game master only): a glow, not the red of a down link. */
const FAULT_GLOW = '#f6c344';
const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (n: number) => Math.round(n * 10) / 10;

const TIER_FILL: Record<GraphNode['tier'], string> = { spine: '#e3ecfa', leaf: '#e6f4ea', node: '#fff4e0', pod: '#f3e8fb' };

/** Where the segment from the box's centre toward (tx,ty) leaves the box. */
function border(b: Box, tx: number, ty: number): [number, number] {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (!dx && !dy) return [cx, cy];
  const s = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return [cx + dx * s, cy + dy * s];
}

function ends(e: GraphEdge, l: Layout): [number, number, number, number] {
  const a = l.boxes.get(e.from)!;
  const b = l.boxes.get(e.to)!;
  const [x1, y1] = border(a, b.x + b.w / 2, b.y + b.h / 2);
  const [x2, y2] = border(b, a.x + a.w / 2, a.y + a.h / 2);
  return [x1, y1, x2, y2];
}

function tag(text: string, cx: number, cy: number, color = '#333', size = 10): string {
  const w = text.length * size * 0.62 + 6;
  return `<rect x="${f1(cx - w / 2)}" y="${f1(cy - size * 0.75)}" width="${f1(w)}" height="${f1(size * 1.4)}" rx="3" fill="#ffffff" fill-opacity="0.92"/>` +
    `<text x="${f1(cx)}" y="${f1(cy + size * 0.38)}" font-size="${size}" text-anchor="middle" fill="${color}">${x(text)}</text>`;
}

function drawEdge(e: GraphEdge, l: Layout): string {
  const [x1, y1, x2, y2] = ends(e, l);
  const color = edgeColor(e);
  const parts: string[] = [];
  const line = (dx: number, stroke: string, width: number, dash = '') =>
    `<line x1="${f1(x1 + dx)}" y1="${f1(y1)}" x2="${f1(x2 + dx)}" y2="${f1(y2)}" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linecap="round"/>`;
  // A trace's request (blue) and reply (purple) run beside the cable they took.
  if (e.trace === 'fwd' || e.trace === 'both') parts.push(line(-5, COLORS.fwd, 4));
  if (e.trace === 'rev' || e.trace === 'both') parts.push(line(5, COLORS.rev, 4));
  if (e.fault) parts.push(line(0, FAULT_GLOW, 14));
  parts.push(line(0, color, e.kind === 'pod' ? 1.5 : 2.5, e.link === 'down' ? '7 5' : ''));
  const at = (t: number): [number, number] => [x1 + (x2 - x1) * t, y1 + (y2 - y1) * t];
  if (e.fromIf) parts.push(tag(e.fromIf, ...at(0.16)));
  if (e.fault) parts.push(tag('⚡ drill fault', ...at(0.5).map((v, i) => v + (i ? 0 : -58)) as [number, number], COLORS.fault, 10));
  if (e.toIf) parts.push(tag(e.toIf, ...at(0.84)));
  const [mx, my] = at(0.5);
  if (e.link === 'down') {
    parts.push(`<g stroke="${COLORS.down}" stroke-width="4" stroke-linecap="round"><line x1="${f1(mx - 8)}" y1="${f1(my - 8)}" x2="${f1(mx + 8)}" y2="${f1(my + 8)}"/><line x1="${f1(mx - 8)}" y1="${f1(my + 8)}" x2="${f1(mx + 8)}" y2="${f1(my - 8)}"/></g>`);
    const said = ['link down', e.session && e.session !== 'Established' ? `BGP ${e.session}` : ''].filter(Boolean).join(' · ');
    parts.push(tag(said, mx + 16 + said.length * 3.2, my, COLORS.down, 10));
  } else if (e.session && e.session !== 'Established') parts.push(tag(`BGP ${e.session}`, mx, my, color, 10));
  return parts.join('');
}

function drawNode(n: GraphNode, b: Box): string {
  const bad = n.problems.length > 0;
  const stroke = bad ? COLORS.down : '#4a5568';
  const rx = n.tier === 'pod' ? b.h / 2 : 6;
  const lines = [n.name, ...n.detail];
  const out = [
    n.fault ? `<rect x="${f1(b.x - 6)}" y="${f1(b.y - 6)}" width="${f1(b.w + 12)}" height="${f1(b.h + 12)}" rx="${rx + 4}" fill="none" stroke="${COLORS.fault}" stroke-width="3" stroke-dasharray="6 3"/>` : '',
    `<rect x="${f1(b.x)}" y="${f1(b.y)}" width="${f1(b.w)}" height="${f1(b.h)}" rx="${f1(rx)}" fill="${bad ? '#fde2e2' : TIER_FILL[n.tier]}" stroke="${stroke}" stroke-width="${bad ? 2.5 : 1.2}"/>`,
  ];
  lines.forEach((t, i) => out.push(`<text x="${f1(b.x + b.w / 2)}" y="${f1(b.y + 7 + LINE_H * (i + 0.75))}" font-size="${i ? 10.5 : 12}" ${i ? 'fill="#333"' : 'font-weight="bold" fill="#111"'} text-anchor="middle">${x(t)}</text>`));
  n.problems.forEach((p, i) => out.push(`<text x="${f1(b.x + b.w / 2)}" y="${f1(b.y + 7 + LINE_H * (lines.length + i + 0.75))}" font-size="10.5" font-weight="bold" fill="${COLORS.down}" text-anchor="middle">✗ ${x(p)}</text>`));
  if (n.fault) out.push(tag('⚡ drill fault', b.x + b.w / 2, b.y - 14, COLORS.fault, 10));
  return out.join('');
}

const LEGEND: [string, string, string][] = [
  [COLORS.established, '', 'BGP Established'],
  [COLORS.notEstablished, '', 'BGP not Established'],
  [COLORS.down, '7 5', 'link down (✗)'],
  [COLORS.plain, '', 'no BGP over it'],
];

export function toSvg(g: Graph, l: Layout, opts: { title?: string } = {}): string {
  const top = 44;
  const legendLines = 1 + (g.trace ? 2 : 0);
  const notes = g.notes.slice(0, 12);
  const width = Math.max(640, Math.ceil(l.width) + 40);
  const bottom = 40 + legendLines * 20 + notes.length * 16 + 16;
  const height = Math.max(320, Math.ceil(l.height) + top + bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="28" font-size="17" font-weight="bold" fill="#111">${x(opts.title ?? `${g.name} fabric`)}</text>`,
    `<text x="${width - 20}" y="28" font-size="11" fill="#666" text-anchor="end">${x(g.at ? `live at ${g.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : 'plan (lab not running)')}</text>`,
    `<g transform="translate(${f1((width - l.width) / 2)},${top})">`,
  ];
  // Racks behind their members.
  for (const r of g.racks) {
    const bs = r.members.map((id) => l.boxes.get(id)!).filter(Boolean);
    if (!bs.length) continue;
    const x0 = Math.min(...bs.map((b) => b.x)) - 12;
    const y0 = Math.min(...bs.map((b) => b.y)) - 14;
    const x1 = Math.max(...bs.map((b) => b.x + b.w)) + 12;
    const y1 = Math.max(...bs.map((b) => b.y + b.h)) + 28;
    out.push(`<rect x="${f1(x0)}" y="${f1(y0)}" width="${f1(x1 - x0)}" height="${f1(y1 - y0)}" rx="10" fill="#f7f8fa" stroke="#9aa5b1" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${f1(x0 + 10)}" y="${f1(y1 - 9)}" font-size="11" fill="#52606d" font-weight="bold">${x(`${r.name}  ${r.subnet}`)}</text>`);
  }
  for (const e of g.edges) out.push(drawEdge(e, l));
  for (const n of g.nodes) out.push(drawNode(n, l.boxes.get(n.id)!));
  out.push('</g>');
  let y = height - bottom + 36;
  let lx = 20;
  const legend: [string, string, string][] = [...LEGEND, ...(g.at ? [] : [[COLORS.unknown, '', 'state unknown (lab not running)'] as [string, string, string]]), ...(g.edges.some((e) => e.fault) ? [[FAULT_GLOW, '', 'drill fault'] as [string, string, string]] : [])];
  for (const [color, dash, label] of legend) {
    out.push(`<line x1="${lx}" y1="${y - 4}" x2="${lx + 26}" y2="${y - 4}" stroke="${color}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${lx + 32}" y="${y}" font-size="11" fill="#333">${x(label)}</text>`);
    lx += 50 + label.length * 6.6;
  }
  if (g.trace) {
    y += 20;
    out.push(`<line x1="20" y1="${y - 4}" x2="46" y2="${y - 4}" stroke="${COLORS.fwd}" stroke-width="4"/><text x="52" y="${y}" font-size="11" fill="#333">${x(`request ${g.trace.from} → ${g.trace.to} (via ${g.trace.fwd.slice(1, -1).join(', ')})`)}</text>`);
    y += 20;
    out.push(`<line x1="20" y1="${y - 4}" x2="46" y2="${y - 4}" stroke="${COLORS.rev}" stroke-width="4"/><text x="52" y="${y}" font-size="11" fill="#333">${x(`reply ${g.trace.to} → ${g.trace.from} (via ${g.trace.rev.slice(1, -1).join(', ')})`)}</text>`);
  }
  for (const note of notes) {
    y += 16;
    out.push(`<text x="20" y="${y}" font-size="11" fill="${COLORS.down}">${x(`• ${note}`)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
