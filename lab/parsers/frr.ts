// FRR JSON (vtysh `… json`) into the product's types. Only fields FRR 8.x documents are read.
import { ip6ToBigInt } from '../topology/ip.js';
import type { Route, PeerRow } from '../results.js';

interface FrrNexthop {
  ip?: string;
  interfaceName?: string;
  active?: boolean;
  fib?: boolean;
  directlyConnected?: boolean;
  unreachable?: boolean;
  blackhole?: boolean;
  reject?: boolean;
  'admin-prohibited'?: boolean;
  weight?: number;
}
interface FrrRoute {
  prefix: string;
  protocol: string;
  selected?: boolean;
  installed?: boolean;
  distance?: number;
  metric?: number;
  uptime?: string;
  nexthops?: FrrNexthop[];
}

/** `show ip route json`: prefix → routes; every next hop kept (ECMP). */
export function parseRouteTable(json: string, deviceOf: (ip: string) => string | undefined = () => undefined): Route[] {
  const table = JSON.parse(json || '{}') as Record<string, FrrRoute[]>;
  const routes: Route[] = [];
  for (const entries of Object.values(table)) {
    for (const r of entries) {
      routes.push({
        prefix: r.prefix,
        protocol: r.protocol,
        selected: Boolean(r.selected),
        installed: Boolean(r.installed),
        distance: r.distance,
        metric: r.metric,
        uptime: r.uptime,
        nexthops: (r.nexthops ?? []).map((n) => ({
          ip: n.ip,
          interface: n.interfaceName,
          active: Boolean(n.active),
          // FRR marks the next hops of a shared group `fib` even on a route that lost to another
          // (a static beating BGP); vtysh draws no `*` there, and neither do we.
          fib: Boolean(n.fib) && Boolean(r.installed),
          directlyConnected: n.directlyConnected || undefined,
          unreachable: n.unreachable || n.blackhole ? (n.reject ? 'reject' : n['admin-prohibited'] ? 'prohibited' : 'blackhole') : undefined,
          device: n.ip ? deviceOf(n.ip) : undefined,
          weight: n.weight,
        })),
      });
    }
  }
  return routes.sort((a, b) => comparePrefix(a.prefix, b.prefix));
}

export function comparePrefix(a: string, b: string): number {
  // IPv6 (dual stack): numerically, as vtysh orders them; IPv4 before IPv6.
  if (a.includes(':') || b.includes(':')) {
    if (!a.includes(':') || !b.includes(':')) return a.includes(':') ? 1 : -1;
    const [x, y] = [a, b].map((p) => [ip6ToBigInt(p.split('/')[0]!), Number(p.split('/')[1] ?? 128)] as const);
    return x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] - y[1];
  }
  const key = (p: string) => {
    const [ip, len] = p.split('/');
    return ip!.split('.').map((x) => x.padStart(3, '0')).join('.') + '/' + (len ?? '32').padStart(2, '0');
  };
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

interface FrrPeer {
  remoteAs: number;
  localAs?: number;
  state: string;
  peerUptime?: string;
  peerUptimeMsec?: number;
  pfxRcd?: number;
  pfxSnt?: number;
  desc?: string;
}
export interface BgpSummary {
  routerId: string;
  as: number;
  peers: (Omit<PeerRow, 'router' | 'kind' | 'peer' | 'expected'> & { description?: string })[];
}

/** `show bgp summary json`: ipv4Unicast, then (dual stack) the ipv6Unicast peers, each neighbor once. */
export function parseBgpSummary(json: string): BgpSummary {
  type Af = { routerId: string; as: number; peers: Record<string, FrrPeer> };
  const data = JSON.parse(json || '{}') as { ipv4Unicast?: Af; ipv6Unicast?: Af };
  const v4 = data.ipv4Unicast ?? data.ipv6Unicast;
  if (!v4) return { routerId: '', as: 0, peers: [] };
  const rows = (af: Af) =>
    Object.entries(af.peers ?? {}).map(([addr, p]) => ({
      localAs: p.localAs ?? af.as,
      peerAs: p.remoteAs,
      peerAddress: addr,
      state: p.state,
      uptime: p.state === 'Established' ? p.peerUptime ?? '' : '',
      uptimeSeconds: p.state === 'Established' && p.peerUptimeMsec !== undefined ? Math.floor(p.peerUptimeMsec / 1000) : undefined,
      // FRR's Up/Down: time in the current state, up or down; `never` only if it never came up.
      upDown: p.peerUptime ?? 'never',
      received: p.pfxRcd ?? 0,
      advertised: p.pfxSnt ?? 0,
      description: p.desc,
    }));
  const peers = rows(v4);
  if (data.ipv4Unicast && data.ipv6Unicast) for (const r of rows(data.ipv6Unicast)) if (!peers.some((x) => x.peerAddress === r.peerAddress)) peers.push(r);
  return { routerId: v4.routerId, as: v4.as, peers };
}

/** `show bgp neighbors json`: why each session last went down (FRR's own words), per neighbor address. */
export function parseNeighborResets(json: string): Record<string, { notification?: string; resetDueTo?: string }> {
  const data = JSON.parse(json || '{}') as Record<string, { lastNotificationReason?: string; lastResetDueTo?: string }>;
  return Object.fromEntries(Object.entries(data).map(([addr, n]) => [addr, { notification: n.lastNotificationReason, resetDueTo: n.lastResetDueTo }]));
}

interface FrrBgpPath {
  valid?: boolean;
  /** `show bgp json`: true on the best path; `show bgp PREFIX json`: an object, `overall` on the best. */
  bestpath?: boolean | { overall?: boolean };
  multipath?: boolean;
  path?: string;
  aspath?: { string?: string };
  origin?: string;
  metric?: number;
  med?: number;
  locPrf?: number;
  localpref?: number;
  weight?: number;
  pathFrom?: string;
  peerId?: string;
  peer?: { peerId?: string; type?: string };
  nexthops?: { ip: string }[];
}

const ORIGIN_CODE: Record<string, string> = { IGP: 'i', igp: 'i', EGP: 'e', egp: 'e', incomplete: '?' };
export const originCode = (o?: string) => (o === undefined ? '' : ORIGIN_CODE[o] ?? o);

/**
 * `show bgp ipv4 unicast [PREFIX] json`: both shapes (the table's `routes`, one prefix's `paths`,
 * whose AS path is `aspath.string` and whose best path says `bestpath.overall`).
 */
export function parseBgpTable(json: string): { prefix: string; paths: import('../results.js').BgpPath[] }[] {
  const data = JSON.parse(json || '{}') as { routes?: Record<string, FrrBgpPath[]>; prefix?: string; paths?: FrrBgpPath[] };
  const entries: [string, FrrBgpPath[]][] = data.routes ? Object.entries(data.routes) : data.prefix ? [[data.prefix, data.paths ?? []]] : [];
  return entries.map(([prefix, paths]) => ({
    prefix,
    paths: paths.map((p) => ({
      nexthop: p.nexthops?.[0]?.ip ?? '',
      asPath: p.path ?? p.aspath?.string ?? '',
      best: p.bestpath === true || (typeof p.bestpath === 'object' && p.bestpath.overall === true),
      multipath: Boolean(p.multipath),
      valid: Boolean(p.valid),
      origin: p.origin,
      localPref: p.locPrf ?? p.localpref,
      peer: p.peerId ?? p.peer?.peerId,
      metric: p.metric ?? p.med,
      weight: p.weight ?? 0,
      internal: (p.pathFrom ?? p.peer?.type) === 'internal',
    })),
  }));
}

/** `show bgp ipv4 unicast neighbors IP advertised-routes json`. */
export function parseAdvertisedRoutes(json: string): import('../results.js').BgpRouteRow[] {
  const data = JSON.parse(json || '{}') as {
    advertisedRoutes?: Record<string, { network?: string; nextHop?: string; path?: string; bgpOriginCode?: string; origin?: string; metric?: number; locPrf?: number; weight?: number; appliedStatusSymbols?: Record<string, boolean> }>;
  };
  return Object.entries(data.advertisedRoutes ?? {}).map(([prefix, r]) => ({
    prefix: r.network ?? prefix,
    nexthop: r.nextHop ?? '',
    asPath: r.path ?? '',
    origin: r.bgpOriginCode ?? originCode(r.origin),
    metric: r.metric,
    localPref: r.locPrf,
    weight: r.weight,
    best: Boolean(r.appliedStatusSymbols?.['>']),
  }));
}
