// `peers`: the columns of `cilium bgp peers`, one row per session end, plus a summary.
import type { PeerRow, PeersResult, SessionError } from '../../commands/results.js';
import { linesToText, seg, stateColor, table, wrapLine, type Line } from './lines.js';
import type { TextOptions } from './text.js';
import { CILIUM_PEERS_HEADER, CILIUM_PEERS_SHORT_HEADER, ciliumPeerCells, tabwriter } from './cilium-table.js';

/** FRR says "OPEN Message Error/Bad Peer AS" and "BGP Notification received": the subcode first. */
export function sessionErrorText(e: SessionError): string {
  if (!e.notification) return `${e.by}: ${e.resetDueTo}`;
  const [code, sub] = e.notification.split('/');
  const dir = /received/i.test(e.resetDueTo ?? '') ? ' received' : /sen[dt]/i.test(e.resetDueTo ?? '') ? ' sent' : '';
  return `${sub ?? code} (${sub ? `${code}, ` : ''}NOTIFICATION${dir} by ${e.by})`;
}

/** The routers' rows: FRR's view (its state and Up/Down), one row per session end. */
function routerTable(peers: PeerRow[], names: boolean, gap: number): Line[] {
  const odd = peers.some((p) => !p.expected);
  const rows = peers.map((p) => [
    seg(p.router),
    seg(String(p.localAs)),
    seg(String(p.peerAs)),
    seg(`${p.peerAddress}${names && p.peer && p.peer !== p.peerAddress ? ` (${p.peer})` : ''}`),
    seg(p.state, { color: stateColor(p.state), bold: !/^established$/i.test(p.state) }),
    seg(p.upDown ?? (p.uptime || 'never')),
    seg(String(p.received)),
    seg(String(p.advertised)),
    ...(odd ? [seg(p.expected ? '' : 'unexpected', { color: 'yellow' })] : []),
  ]);
  return table(['Router', 'Local AS', 'Peer AS', 'Peer Address', 'State', 'Up/Down', 'Received', 'Advertised', ...(odd ? [''] : [])], rows, gap);
}

const widthOf = (l: Line) => l.reduce((n, s) => n + s.text.length, 0);
const fits = (lines: Line[], width: number) => lines.every((l) => widthOf(l) <= width - 1);

/**
 * One node's table exactly as its agent prints it; narrower forms when it does not fit (less
 * padding, then the two long column names shortened), never a column dropped.
 */
function nodeTable(peers: PeerRow[], width: number): { lines: Line[]; short: boolean } {
  for (const header of [CILIUM_PEERS_HEADER, CILIUM_PEERS_SHORT_HEADER]) {
    for (const padding of [3, 2, 1]) {
      const text = tabwriter(ciliumPeerCells(peers, header), padding);
      const lines = text.map((t, i): Line => (i === 0 ? [seg(t, { bold: true })] : colourState(t)));
      if (fits(lines, width) || (header === CILIUM_PEERS_SHORT_HEADER && padding === 1)) return { lines, short: header === CILIUM_PEERS_SHORT_HEADER };
    }
  }
  throw new Error('unreachable');
}

/** The session state word of a row in its colour (the rest as the agent prints it). */
function colourState(text: string): Line {
  const m = /^(\S+\s+\S+\s+\S+\s+)(\S+)(.*)$/.exec(text);
  if (!m || /^\s/.test(text)) return [seg(text)];
  return [seg(m[1]!), seg(m[2]!, { color: stateColor(m[2]!), bold: m[2] !== 'established' }), seg(m[3]!)];
}

export function peersLines(r: PeersResult, width = Infinity): Line[] {
  const lines: Line[] = [];
  const nodes = [...new Set(r.peers.filter((p) => p.kind === 'node').map((p) => p.router))];
  let short = false;
  for (const node of nodes) {
    const mine = r.peers.filter((p) => p.kind === 'node' && p.router === node);
    const t = nodeTable(mine, width);
    short ||= t.short;
    const odd = mine.filter((p) => !p.expected).length;
    lines.push([seg(node, { bold: true, color: 'cyan' }), seg(`  $ ${r.nodeCommand ?? 'cilium bgp peers'}`, { dim: true }), ...(odd ? [seg(`  (${odd} unexpected)`, { color: 'yellow' })] : [])], ...t.lines, []);
  }
  if (short) lines.push(...wrapLine([seg('Rcvd = Received, Adv = Advertised (narrow form)', { dim: true })], width), []);
  const routers = r.peers.filter((p) => p.kind === 'router');
  if (routers.length) {
    // Peer device names help, but the columns matter more: drop the names when too narrow.
    let rt = routerTable(routers, true, 2);
    if (!fits(rt, width)) rt = routerTable(routers, false, 2);
    if (!fits(rt, width)) rt = routerTable(routers, false, 1);
    lines.push(...rt);
  }
  // Why each session is down, under the table (wrapped, never cut): the first thing to read.
  for (const p of r.peers.filter((x) => x.lastError)) {
    lines.push(...wrapLine([seg('✗ ', { color: 'red' }), seg(`${p.router} ↔ ${p.peer}`, { bold: true }), seg(` ${p.state}: `), seg(sessionErrorText(p.lastError!), { color: 'red' })], width, 4));
  }
  const color = r.established === r.expected && r.ok ? 'green' : r.established === 0 ? 'red' : 'yellow';
  lines.push([], [seg(`${r.ok ? '✓' : '✗'} ${r.established}/${r.expected} sessions established`, { color, bold: true })]);
  return lines;
}

export const peersText = (r: PeersResult, opts: TextOptions) => linesToText(peersLines(r, opts.width), opts);
