// `bgp <router>`: `show bgp summary` header and neighbors, then the BGP table as FRR's `show bgp`
// prints it (status codes with `i` for iBGP, Metric, LocPrf, Weight, AS path and origin code);
// `bgp <device> --neighbor …`: one neighbor's routes, as vtysh or the Cilium agent lists them.
import type { BgpResult, BgpRoutesResult } from '../../commands/results.js';
import { linesToText, seg, stateColor, table, wrapLine, type Line } from './lines.js';
import type { TextOptions } from './text.js';
import { tabwriter } from './cilium-table.js';

const ORIGIN: Record<string, string> = { IGP: 'i', EGP: 'e', incomplete: '?' };
const num = (n?: number) => (n === undefined ? '' : String(n));

export function bgpLines(r: BgpResult, width = Infinity): Line[] {
  const lines: Line[] = [[seg(`BGP router identifier ${r.routerId}, local AS number ${r.localAs}`, { bold: true })], []];
  const rows = r.peers.map((p) => {
    const up = /^established$/i.test(p.state);
    // FRR's Up/Down: how long in the current state, down or up; `never` only if never up.
    return [seg(p.peerAddress), seg(p.peer), seg(String(p.peerAs)), seg(p.upDown ?? (p.uptime || 'never')), seg(up ? String(p.received) : p.state, { color: up ? undefined : stateColor(p.state) }), seg(String(p.advertised))];
  });
  lines.push(...table(['Neighbor', 'Device', 'AS', 'Up/Down', 'State/PfxRcd', 'PfxSnt'], rows), []);
  if (r.table.length) {
    lines.push(...wrapLine([seg('Status codes: * valid, > best, = multipath, i internal; Origin codes: i - IGP, e - EGP, ? - incomplete', { dim: true })], width, 14));
    const rows2 = r.table.flatMap((e) =>
      e.paths.map((p, i) => [
        seg(`${p.valid ? '*' : ' '}${p.best ? '>' : p.multipath ? '=' : ' '}${p.internal ? 'i' : ' '}`, { color: p.best ? 'green' : p.multipath ? 'cyan' : undefined }),
        seg(i === 0 ? e.prefix : '', { bold: true }),
        seg(p.nexthop),
        seg(num(p.metric)),
        seg(num(p.localPref)),
        seg(num(p.weight)),
        seg(`${p.asPath}${p.asPath ? ' ' : ''}${ORIGIN[p.origin ?? ''] ?? p.origin ?? ''}`.trim()),
      ]),
    );
    lines.push(...table(['   ', 'Network', 'Next Hop', 'Metric', 'LocPrf', 'Weight', 'Path'], rows2));
  }
  return lines;
}

/** GoBGP's path attributes as Cilium's Attrs column prints them. */
function attrs(r: BgpRoutesResult['routes'][number]): string {
  return `[${[`{Origin: ${r.origin || '?'}}`, `{AsPath: ${r.asPath}}`, `{Nexthop: ${r.nexthop}}`, ...(r.metric !== undefined ? [`{Med: ${r.metric}}`] : []), ...(r.localPref !== undefined ? [`{LocalPref: ${r.localPref}}`] : [])].join(' ')}]`;
}

export function bgpRoutesLines(r: BgpRoutesResult): Line[] {
  const what = r.direction === 'advertised' ? `advertised to ${r.neighbor ?? 'every neighbor'}` : r.direction === 'received' ? `received from ${r.neighbor}` : 'available (loc-RIB)';
  const lines: Line[] = [
    [seg(`${r.router}: routes ${what}${r.peer ? ` (${r.peer})` : ''}`, { bold: true }), seg(`  $ ${r.source}`, { dim: true })],
    [],
  ];
  if (!r.routes.length) return [...lines, [seg('no routes', { color: 'yellow' })]];
  if (r.kind === 'node') {
    const peerCol = r.direction === 'advertised';
    const rows = [['VRouter', ...(peerCol ? ['Peer'] : []), 'Prefix', 'NextHop', 'Attrs'], ...r.routes.map((x) => [String(x.localAs ?? r.localAs ?? ''), ...(peerCol ? [x.neighbor ?? ''] : []), x.prefix, x.nexthop, attrs(x)])];
    lines.push(...tabwriter(rows).map((t, i): Line => [seg(t, { bold: i === 0 })]));
  } else {
    const rows = r.routes.map((x) => [
      seg(`*${x.best ? '>' : ' '}`, { color: x.best ? 'green' : undefined }),
      seg(x.prefix, { bold: true }),
      seg(x.nexthop),
      seg(num(x.metric)),
      seg(num(x.localPref)),
      seg(num(x.weight)),
      seg(`${x.asPath}${x.asPath ? ' ' : ''}${x.origin}`),
    ]);
    lines.push(...table(['  ', 'Network', 'Next Hop', 'Metric', 'LocPrf', 'Weight', 'Path'], rows));
  }
  lines.push([], [seg(`Total number of prefixes ${new Set(r.routes.map((x) => x.prefix)).size}`)]);
  return lines;
}

const isRoutes = (r: BgpResult | BgpRoutesResult): r is BgpRoutesResult => 'routes' in r;

/** Either form of `bgp`'s result. */
export const bgpAnyLines = (r: BgpResult | BgpRoutesResult, width = Infinity): Line[] => (isRoutes(r) ? bgpRoutesLines(r) : bgpLines(r, width));

export const bgpText = (r: BgpResult | BgpRoutesResult, o: TextOptions) => linesToText(bgpAnyLines(r, o.width), o);
