// `peers`: the columns of `cilium bgp peers`, one row per session end, plus a summary.
import type { PeerRow, PeersResult, SessionError } from '../../commands/results.js';
import { linesToText, seg, stateColor, table, wrapLine, type Line } from './lines.js';
import type { TextOptions } from './text.js';

/** FRR says "OPEN Message Error/Bad Peer AS" and "BGP Notification received": the subcode first. */
export function sessionErrorText(e: SessionError): string {
  if (!e.notification) return `${e.by}: ${e.resetDueTo}`;
  const [code, sub] = e.notification.split('/');
  const dir = /received/i.test(e.resetDueTo ?? '') ? ' received' : /sen[dt]/i.test(e.resetDueTo ?? '') ? ' sent' : '';
  return `${sub ?? code} (${sub ? `${code}, ` : ''}NOTIFICATION${dir} by ${e.by})`;
}

export function peerTable(peers: PeerRow[], names = true, gap = 2): Line[] {
  const odd = peers.some((p) => !p.expected);

  const rows = peers.map((p) => [
    seg(p.router),
    seg(String(p.localAs)),
    seg(String(p.peerAs)),
    seg(`${p.peerAddress}${names && p.peer && p.peer !== p.peerAddress ? ` (${p.peer})` : ''}`),
    seg(p.state, { color: stateColor(p.state), bold: !/^established$/i.test(p.state) }),
    seg(p.uptime || '-'),
    seg(String(p.received)),
    seg(String(p.advertised)),
    ...(odd ? [seg(p.expected ? '' : 'unexpected', { color: 'yellow' })] : []),
  ]);
  return table(['Node/Router', 'Local AS', 'Peer AS', 'Peer Address', 'Session State', 'Uptime', 'Received', 'Advertised', ...(odd ? [''] : [])], rows, gap);
}

export function peersLines(r: PeersResult, width = Infinity): Line[] {
  // Peer device names help, but the columns matter more: drop the names when too narrow.
  let lines = peerTable(r.peers);
  const tooWide = () => lines.some((l) => l.reduce((n, s) => n + s.text.length, 0) > width);
  if (tooWide()) lines = peerTable(r.peers, false);
  if (tooWide()) lines = peerTable(r.peers, false, 1);
  // Why each session is down, under the table (wrapped, never cut): the first thing to read.
  for (const p of r.peers.filter((x) => x.lastError)) {
    lines.push(...wrapLine([seg('✗ ', { color: 'red' }), seg(`${p.router} ↔ ${p.peer}`, { bold: true }), seg(` ${p.state}: `), seg(sessionErrorText(p.lastError!), { color: 'red' })], width, 4));
  }
  const color = r.established === r.expected && r.ok ? 'green' : r.established === 0 ? 'red' : 'yellow';
  lines.push([], [seg(`${r.ok ? '✓' : '✗'} ${r.established}/${r.expected} sessions established`, { color, bold: true })]);
  return lines;
}

export const peersText = (r: PeersResult, opts: TextOptions) => linesToText(peersLines(r, opts.width), opts);
