// `bgp <router>`: `show bgp summary` header and neighbors, then the BGP table like `show bgp`.
import type { BgpResult } from '../../commands/results.js';
import { linesToText, seg, stateColor, table, type Line } from './lines.js';
import type { TextOptions } from './text.js';

const ORIGIN: Record<string, string> = { IGP: 'i', EGP: 'e', incomplete: '?' };

export function bgpLines(r: BgpResult): Line[] {
  const lines: Line[] = [[seg(`BGP router identifier ${r.routerId}, local AS number ${r.localAs}`, { bold: true })], []];
  const rows = r.peers.map((p) => {
    const up = /^established$/i.test(p.state);
    return [seg(p.peerAddress), seg(p.peer), seg(String(p.peerAs)), seg(p.uptime || 'never'), seg(up ? String(p.received) : p.state, { color: up ? undefined : stateColor(p.state) }), seg(String(p.advertised))];
  });
  lines.push(...table(['Neighbor', 'Device', 'AS', 'Up/Down', 'State/PfxRcd', 'PfxSnt'], rows), []);
  if (r.table.length) {
    lines.push([seg('Status codes: * valid, > best, = multipath; Origin codes: i - IGP, e - EGP, ? - incomplete', { dim: true })]);
    const rows2 = r.table.flatMap((e) =>
      e.paths.map((p, i) => [
        seg(`${p.valid ? '*' : ' '}${p.best ? '>' : p.multipath ? '=' : ' '}`, { color: p.best ? 'green' : p.multipath ? 'cyan' : undefined }),
        seg(i === 0 ? e.prefix : '', { bold: true }),
        seg(p.nexthop),
        seg(p.localPref !== undefined ? String(p.localPref) : ''),
        seg(`${p.asPath}${p.asPath ? ' ' : ''}${ORIGIN[p.origin ?? ''] ?? p.origin ?? ''}`.trim()),
      ]),
    );
    lines.push(...table(['  ', 'Network', 'Next Hop', 'LocPrf', 'Path'], rows2));
  }
  return lines;
}

export const bgpText = (r: BgpResult, o: TextOptions) => linesToText(bgpLines(r), o);
