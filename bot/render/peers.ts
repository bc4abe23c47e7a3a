// `peers` and `bgp`: one row per session, Established in green, anything else flagged.
import type { BgpResult, BgpRoutesResult, PeerRow, PeersResult } from '../../commands/results.js';
import { bgpRoutesLines } from '../../src/render/bgp.js';
import { sessionErrorText } from '../../src/render/peers.js';
import { codeSections, context, esc, section, table, type SlackMessage } from './blocks.js';
import { ciliumPeerCells, tabwriter } from '../../src/render/cilium-table.js';

/** Nodes as their agent prints `cilium bgp peers` (one block per node), then the routers' rows. */
export function peersTableLines(r: PeersResult): string[] {
  const nodes = [...new Set(r.peers.filter((p) => p.kind === 'node').map((p) => p.router))];
  const out: string[] = [];
  for (const n of nodes) out.push(`${n}  $ ${r.nodeCommand ?? 'cilium bgp peers'}`, ...tabwriter(ciliumPeerCells(r.peers.filter((p) => p.kind === 'node' && p.router === n))), '');
  const routers = r.peers.filter((p) => p.kind === 'router');
  return routers.length ? [...out, ...peerTable(routers)] : out;
}

export function peerTable(peers: PeerRow[]): string[] {
  return table([
    ['', 'device', 'peer', 'address', 'AS', 'state', 'up/down', 'rcv', 'adv'],
    ...peers.map((p) => [
      p.state === 'Established' ? '✓' : '✗',
      p.router,
      p.peer,
      p.peerAddress,
      String(p.peerAs),
      p.state,
      p.upDown ?? p.uptime,
      String(p.received),
      String(p.advertised),
    ]),
  ]);
}

export function renderPeers(r: PeersResult): SlackMessage {
  const lines = peersTableLines(r);
  const packed = codeSections(lines.map((l) => [l]));
  const cut = lines.length - packed.shownGroups;
  const down = r.peers.filter((p) => p.state !== 'Established');
  return {
    text: `${r.established}/${r.expected} BGP sessions established`,
    blocks: [
      section(`${r.ok ? ':white_check_mark:' : ':x:'} *${r.established}/${r.expected} BGP sessions established*`),
      ...packed.blocks,
      ...(down.length ? [context(`not established: ${down.slice(0, 10).map((p) => `${esc(p.router)}→${esc(p.peer)} (${esc(p.state)}${p.lastError ? `, ${esc(sessionErrorText(p.lastError))}` : ''})`).join(', ')}${down.length > 10 ? ` …${down.length - 10} more` : ''}`)] : []),
      ...(cut > 0 ? [context(`…${cut} more sessions: the full table is attached`)] : []),
    ],
    attachment: cut > 0 ? { filename: 'peers.txt', content: lines.join('\n') } : undefined,
  };
}

/** `bgp … --neighbor`: the same table as the terminal's, in a code block (attached when long). */
function renderBgpRoutes(r: BgpRoutesResult): SlackMessage {
  const lines = bgpRoutesLines(r).map((l) => l.map((s) => s.text).join('').trimEnd());
  const packed = codeSections(lines.map((l) => [l]));
  const cut = lines.length - packed.shownGroups;
  return {
    text: `${r.router}: ${r.routes.length} routes ${r.direction}${r.neighbor ? ` (${r.neighbor})` : ''}`,
    blocks: [...packed.blocks, ...(cut > 0 ? [context(`…${cut} more lines: the full output is attached`)] : [])],
    attachment: cut > 0 ? { filename: `bgp-${r.router}-${r.direction}.txt`, content: lines.join('\n') } : undefined,
  };
}

export function renderBgp(r: BgpResult | BgpRoutesResult): SlackMessage {
  if ('routes' in r) return renderBgpRoutes(r);
  const peers = peerTable(r.peers);
  const table_ = r.table.flatMap((e) =>
    e.paths.map((p, i) => `${p.valid ? '*' : ' '}${p.best ? '>' : p.multipath ? '=' : ' '} ${i === 0 ? e.prefix.padEnd(18) : ' '.repeat(18)} ${p.nexthop.padEnd(15)} ${`${p.asPath} ${({ IGP: 'i', EGP: 'e', incomplete: '?' } as Record<string, string>)[p.origin ?? ''] ?? ''}`.trim()}${p.peer && !p.peer.startsWith('(') ? `  from ${p.peer}` : ''}`),
  );
  const a = codeSections(peers.map((l) => [l]), 2);
  const b = codeSections(table_.map((l) => [l]), 2);
  const cut = peers.length - a.shownGroups + (table_.length - b.shownGroups);
  return {
    text: `BGP on ${r.router}: AS ${r.localAs}, ${r.peers.length} peers, ${r.table.length} prefixes`,
    blocks: [
      section(`*BGP on ${esc(r.router)}* — AS ${r.localAs}, router-id ${esc(r.routerId)}`),
      ...a.blocks,
      ...(table_.length ? [section(`*BGP table* (${r.table.length} prefixes)`), ...b.blocks] : []),
      ...(cut > 0 ? [context(`…${cut} more lines: the full output is attached`)] : []),
    ],
    attachment: cut > 0 ? { filename: `bgp-${r.router}.txt`, content: [...peers, '', ...table_].join('\n') } : undefined,
  };
}
