// `capture`: packets grouped per interface, so ECMP shows as traffic split across links.
import type { CaptureConversation, CaptureResult } from '../../commands/results.js';
import { linesToText, seg, table, wrapLine, type Line } from './lines.js';
import type { TextOptions } from './text.js';

const perLink = (counts: Record<string, number>) =>
  Object.entries(counts).map(([iface, n]) => `${iface} ×${n}`).join(', ') || '–';

/**
 * Which link each direction of a conversation took, as columns: `a ⇄ b  → eth2 ×3  ← eth1 ×3`,
 * then how many went out on one link and came back on another. Shared with the Slack renderer.
 */
export function conversationRows(r: CaptureResult): { rows: string[][]; summary?: string } {
  const convs = r.conversations ?? [];
  if (!convs.length || r.interfaces.length < 2) return { rows: [] };
  const name = (ip: string, n?: string) => n ?? ip;
  const rows = convs
    .map((c: CaptureConversation) => [`${name(c.a, c.aName)} ⇄ ${name(c.b, c.bName)}`, `→ ${perLink(c.aToB)}`, `← ${perLink(c.bToA)}`])
    .sort((x, y) => x[0]!.localeCompare(y[0]!));
  const both = convs.filter((c) => Object.keys(c.aToB).length && Object.keys(c.bToA).length);
  const split = both.filter((c) => Object.keys(c.aToB).some((i) => !(i in c.bToA)) || Object.keys(c.bToA).some((i) => !(i in c.aToB)));
  const summary = both.length ? `${split.length} of ${both.length} two-way conversations came back on another link than they went out (ECMP hashes each direction on its own)` : undefined;
  return { rows, summary };
}

/** Below this many columns packets show the time of day only, and rows wrap instead of being cut. */
const NARROW = 120;

export function captureLines(r: CaptureResult, width = Infinity, perIface = 20): Line[] {
  const narrow = width < NARROW;
  const total = r.packets.length;
  const lines: Line[] = [[
    seg(`capture on ${r.router} ${r.interfaces.join(', ')}: ${total} packet${total === 1 ? '' : 's'}`, { bold: true }),
    seg(r.cancelled ? ' (stopped early)' : '', { color: 'yellow' }),
  ]];
  const conv = conversationRows(r);
  if (conv.rows.length) {
    lines.push([seg('links per conversation (→ first sender to its peer, ← back):', { dim: true })]);
    const wide = table(['', '', ''], conv.rows.map((row) => [seg(`  ${row[0]}`), seg(row[1]!, { color: 'cyan' }), seg(row[2]!, { color: 'magenta' })])).slice(1);
    if (Math.max(...wide.map((l) => l.reduce((n, s) => n + s.text.length, 0))) < width) lines.push(...wide);
    else {
      // Too wide for the terminal: each conversation's two directions on a line of their own.
      const dirs = table(['', ''], conv.rows.map((row) => [seg(`    ${row[1]}`, { color: 'cyan' }), seg(row[2]!, { color: 'magenta' })])).slice(1);
      conv.rows.forEach((row, i) => lines.push([seg(`  ${row[0]}`)], dirs[i]!));
    }
    if (conv.summary) lines.push(...wrapLine([seg(`  ${conv.summary}`, { dim: true })], width, 4));
  }
  for (const iface of r.interfaces) {
    const pkts = r.packets.filter((p) => p.interface === iface);
    const count = r.perInterface[iface] ?? pkts.length;
    lines.push([seg(`${iface}`, { bold: true, color: 'cyan' }), seg(`  ${count} packet${count === 1 ? '' : 's'}`)]);
    for (const p of pkts.slice(0, perIface)) {
      // 2026-12-01T06:30:46.694Z → 06:30:46.694 when narrow: the capture is seconds long.
      const time = narrow ? p.time.replace(/^\d{4}-\d\d-\d\dT/, '').replace(/Z$/, '') : p.time;
      lines.push(...wrapLine([seg(`  ${time}  `, { dim: true }), seg(`${p.src} > ${p.dst}`), seg(`  ${p.protocol}`, { color: 'magenta' }), seg(p.summary ? `  ${p.summary}` : '', { dim: true })], width, 6));
    }
    if (pkts.length > perIface) lines.push([seg(`  … ${pkts.length - perIface} more`, { dim: true })]);
  }
  return lines;
}

export const captureText = (r: CaptureResult, opts: TextOptions) => linesToText(captureLines(r, opts.width), opts);
