// `peers` and `bgp`: one row per session, Established in green, anything else flagged.
import type { BgpResult, PeerRow, PeersResult } from '../../commands/results.js';
import { sessionErrorText } from '../../src/render/peers.js';
import { codeSections, context, esc, section, table, type SlackMessage } from './blocks.js';

export function peerTable(peers: PeerRow[]): string[] {
  return table([
    ['', 'device', 'peer', 'address', 'AS', 'state', 'up', 'rcv', 'adv'],
    ...peers.map((p) => [
      p.state === 'Established' ? '✓' : '✗',
      p.router,
      p.peer,
      p.peerAddress,
      String(p.peerAs),
      p.state,
      p.uptime,
      String(p.received),
      String(p.advertised),
    ]),
  ]);
}

export function renderPeers(r: PeersResult): SlackMessage {
  const lines = peerTable(r.peers);
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

export function renderBgp(r: BgpResult): SlackMessage {
  const peers = peerTable(r.peers);
  const table_ = r.table.flatMap((e) =>
    e.paths.map((p, i) => `${p.valid ? '*' : ' '}${p.best ? '>' : p.multipath ? '=' : ' '} ${i === 0 ? e.prefix.padEnd(18) : ' '.repeat(18)} ${p.nexthop.padEnd(15)} ${p.asPath || 'i'}${p.peer && !p.peer.startsWith('(') ? `  from ${p.peer}` : ''}`),
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
