// `routes`: the table as vtysh `show ip route` prints it, grouped by prefix, ECMP next hops
// on their own lines under the first, so people who know FRR read it at a glance.
import type { Route, RoutesResult, NextHop } from '../../commands/results.js';
import { linesToText, seg, type Line } from './lines.js';
import type { TextOptions } from './text.js';
import { tabwriter } from './cilium-table.js';

const CODE: Record<string, string> = { bgp: 'B', connected: 'C', kernel: 'K', static: 'S', ospf: 'O', local: 'L', isis: 'I', rip: 'R' };
export const LEGEND = 'Codes: K - kernel, C - connected, L - local, S - static, B - BGP; > - selected route, * - FIB route';

function ipKey(prefix: string): number[] {
  const [ip = '', len = '0'] = prefix.split('/');
  return [...ip.split('.').map(Number), Number(len)];
}
const byPrefix = (a: Route, b: Route) => {
  const x = ipKey(a.prefix);
  const y = ipKey(b.prefix);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

const UNREACHABLE = { blackhole: 'blackhole', reject: 'ICMP unreachable', prohibited: 'ICMP prohibited' };

function hopText(h: NextHop, uptime?: string): string {
  const parts =
    h.unreachable ? [`unreachable (${UNREACHABLE[h.unreachable]})`]
    : h.directlyConnected || !h.ip ? [`is directly connected, ${h.interface ?? '?'}`]
    : [`via ${h.ip}`, ...(h.interface ? [h.interface] : [])];
  if ((h.unreachable || (!h.directlyConnected && h.ip)) && h.weight !== undefined) parts.push(`weight ${h.weight}`);
  if (uptime) parts.push(uptime);
  return parts.join(', ');
}

export function routeLines(route: Route): Line[] {
  const code = CODE[route.protocol.toLowerCase()] ?? route.protocol.charAt(0).toUpperCase();
  const green = route.selected && route.installed;
  const head = `${code}${route.selected ? '>' : ' '}${route.installed || route.nexthops.some((h) => h.fib) ? '*' : ' '} `;
  const metric = route.distance !== undefined && route.protocol.toLowerCase() !== 'connected' ? ` [${route.distance}/${route.metric ?? 0}]` : '';
  const lead = `${head}${route.prefix}${metric} `;
  const hops = route.nexthops.length ? route.nexthops : [{ active: false, fib: false } as NextHop];
  return hops.map((h, i) => {
    const dev = h.device ? seg(`  (${h.device})`, { dim: true }) : seg('');
    const text = hopText(h, route.uptime);
    if (i === 0) return [seg(head, { color: green ? 'green' : 'yellow' }), seg(route.prefix, { bold: true }), seg(`${metric} `), seg(text), dev];
    const mark = `  ${h.fib ? '*' : ' '}`;
    return [seg(mark, { color: h.fib ? 'green' : 'yellow' }), seg(' '.repeat(Math.max(1, lead.length - mark.length))), seg(text), dev];
  });
}

export function routesLines(r: RoutesResult): Line[] {
  if (r.raw) return r.raw.trimEnd().split('\n').map((l) => [seg(l)]);
  const lines: Line[] = [[seg(`${r.kind} ${r.router}: ${r.routes.length} route${r.routes.length === 1 ? '' : 's'}`, { bold: true })], [seg(LEGEND, { dim: true })], []];
  for (const route of [...r.routes].sort(byPrefix)) lines.push(...routeLines(route));
  if (!r.routes.length) lines.push([seg('(no routes)', { dim: true })]);
  if (r.advertised?.some((a) => a.localAs !== undefined)) {
    // Several BGP instances: as `cilium bgp routes advertised` lists them, a row per instance
    // (VRouter: its local ASN) and peer.
    lines.push([], [seg(`advertised by ${r.router} (${new Set(r.advertised.map((a) => a.instance)).size} BGP instances):`, { bold: true })]);
    const rows = [['VRouter', 'Instance', 'Peer', 'Prefix', 'NextHop'], ...r.advertised.flatMap((a) => (a.peers.length ? a.peers : ['(none)']).map((p) => [String(a.localAs ?? ''), a.instance ?? '', p, a.prefix, a.nexthop]))];
    lines.push(...tabwriter(rows).map((t, i): Line => [seg(`  ${t}`, { bold: i === 0 })]));
  } else if (r.advertised?.length) {
    lines.push([], [seg(`advertised by ${r.router}:`, { bold: true })]);
    for (const a of r.advertised) lines.push([seg(`  ${a.prefix}`, { bold: true }), seg(` next hop ${a.nexthop} → ${a.peers.join(', ')}`)]);
  } else if (r.kind === 'node' && r.advertised) {
    // Saying nothing would hide the symptom (exportPodCIDR off, an agent without routes).
    lines.push([], [seg(`advertised by ${r.router}: nothing`, { bold: true, color: 'yellow' })]);
  }
  return lines;
}

export const routesText = (r: RoutesResult, opts: TextOptions) => linesToText(routesLines(r), opts);
