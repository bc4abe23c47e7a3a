// GoBGP `-j` output (gobgp 3.x) into the product's types.
interface GobgpNeighbor {
  conf?: { neighbor_address?: string; peer_asn?: number; local_asn?: number };
  state?: { session_state?: number | string; neighbor_address?: string; peer_asn?: number; local_asn?: number };
  timers?: { state?: { uptime?: { seconds?: number } | string } };
  transport?: { remote_port?: number; local_address?: string };
  afi_safis?: { config?: { family?: GobgpFamily }; state?: { family?: GobgpFamily; received?: number; accepted?: number; advertised?: number } }[];
}

interface GobgpFamily {
  afi?: number | string;
  safi?: number | string;
}

/** GoBGP's api.Family numbers, as Cilium's agent names them (`ipv4/unicast`). */
const AFI: Record<number, string> = { 1: 'ipv4', 2: 'ipv6', 25: 'l2vpn' };
const SAFI: Record<number, string> = { 1: 'unicast', 2: 'multicast', 4: 'mpls_label', 70: 'evpn', 128: 'mpls_vpn', 133: 'flowspec' };

export interface PeerFamily {
  afi: string;
  safi: string;
  received: number;
  advertised: number;
}

const SESSION_STATES: Record<number, string> = { 0: 'Unknown', 1: 'Idle', 2: 'Connect', 3: 'Active', 4: 'OpenSent', 5: 'OpenConfirm', 6: 'Established' };

export interface GobgpPeer {
  peerAddress: string;
  peerAs: number;
  localAs: number;
  state: string;
  uptimeSeconds?: number;
  received: number;
  advertised: number;
  /** TCP port of the peer (GoBGP's transport.remote_port; 179 when unset). */
  peerPort: number;
  /** GoBGP's state as Cilium's agent reports it: lowercase (`established`, `active`, …). */
  sessionState: string;
  /** One entry per address family the neighbor has, as `cilium bgp peers` lists them. */
  families: PeerFamily[];
}

/** `gobgp -j neighbor` (a list) or `gobgp -j neighbor ADDR` (one, with the advertised count). */
export function parseGobgpNeighbors(json: string, now = Date.now()): GobgpPeer[] {
  const data = JSON.parse(json || '[]') as GobgpNeighbor[] | GobgpNeighbor;
  const list = Array.isArray(data) ? data : [data];
  return list.map((n) => {
    const raw = n.state?.session_state;
    const state = typeof raw === 'number' ? SESSION_STATES[raw] ?? String(raw) : capitalize(String(raw ?? 'Unknown'));
    const up = n.timers?.state?.uptime;
    const upSecs = typeof up === 'object' && up?.seconds ? Math.max(0, Math.floor(now / 1000) - up.seconds) : undefined;
    const afi = n.afi_safis?.[0]?.state;
    const families = (n.afi_safis ?? []).map((a) => {
      const f = a.state?.family ?? a.config?.family ?? {};
      return {
        afi: typeof f.afi === 'number' ? AFI[f.afi] ?? String(f.afi) : String(f.afi ?? 'ipv4').toLowerCase().replace(/^afi_/, ''),
        safi: typeof f.safi === 'number' ? SAFI[f.safi] ?? String(f.safi) : String(f.safi ?? 'unicast').toLowerCase().replace(/^safi_/, ''),
        received: a.state?.received ?? 0,
        advertised: a.state?.advertised ?? 0,
      };
    });
    return {
      peerAddress: n.conf?.neighbor_address ?? n.state?.neighbor_address ?? '',
      peerAs: n.conf?.peer_asn ?? n.state?.peer_asn ?? 0,
      localAs: n.conf?.local_asn ?? n.state?.local_asn ?? 0,
      state,
      uptimeSeconds: state === 'Established' ? upSecs : undefined,
      received: afi?.received ?? 0,
      advertised: afi?.advertised ?? 0,
      peerPort: n.transport?.remote_port || 179,
      sessionState: state.toLowerCase(),
      families,
    };
  });
}

function capitalize(s: string): string {
  const low = s.toLowerCase().replace(/^bgp_fsm_/, '');
  const map: Record<string, string> = { established: 'Established', idle: 'Idle', active: 'Active', connect: 'Connect', opensent: 'OpenSent', openconfirm: 'OpenConfirm' };
  return map[low] ?? s;
}

interface GobgpRibEntry {
  nlri?: { prefix?: string };
  attrs?: { type: number; value?: number; metric?: number; nexthop?: string; as_paths?: { asns?: number[] }[] }[];
  best?: boolean;
  'source-id'?: string;
  'neighbor-ip'?: string;
}

/** `gobgp -j global rib`: prefix → paths. */
export function parseGobgpRib(json: string): { prefix: string; nexthop: string; best: boolean; local: boolean }[] {
  const table = JSON.parse(json || '{}') as Record<string, GobgpRibEntry[]>;
  const out: { prefix: string; nexthop: string; best: boolean; local: boolean }[] = [];
  for (const [prefix, paths] of Object.entries(table ?? {})) {
    for (const p of paths) {
      const nh = p.attrs?.find((a) => a.type === 3)?.nexthop ?? '';
      out.push({ prefix, nexthop: nh, best: Boolean(p.best), local: !p['neighbor-ip'] || p['neighbor-ip'] === '<nil>' || p['neighbor-ip'] === '0.0.0.0' });
    }
  }
  return out;
}

/** Seconds → `cilium bgp peers` style uptime (1h2m3s). */
export function formatUptime(seconds?: number): string {
  if (seconds === undefined) return '';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

const GOBGP_ORIGIN: Record<number, string> = { 0: 'i', 1: 'e', 2: '?' };

/**
 * `gobgp -j global rib` or `gobgp -j neighbor IP adj-out|adj-in`: every path with its
 * attributes (ORIGIN 1, AS_PATH 2, NEXT_HOP 3, MED 4, LOCAL_PREF 5), as `cilium bgp routes` lists them.
 */
export function parseGobgpPaths(json: string): import('../results.js').BgpRouteRow[] {
  const table = JSON.parse(json || '{}') as Record<string, GobgpRibEntry[]>;
  const out: import('../results.js').BgpRouteRow[] = [];
  for (const [prefix, paths] of Object.entries(table ?? {})) {
    for (const p of paths ?? []) {
      const attr = (t: number) => p.attrs?.find((a) => a.type === t);
      out.push({
        prefix: p.nlri?.prefix ?? prefix,
        nexthop: attr(3)?.nexthop ?? attr(14)?.nexthop ?? '0.0.0.0',
        asPath: (attr(2)?.as_paths ?? []).flatMap((s) => s.asns ?? []).join(' '),
        origin: GOBGP_ORIGIN[attr(1)?.value ?? -1] ?? '',
        metric: attr(4)?.metric,
        localPref: attr(5)?.value,
        best: Boolean(p.best),
        ...(p['neighbor-ip'] && !['<nil>', '0.0.0.0'].includes(p['neighbor-ip']) ? { neighbor: p['neighbor-ip'] } : {}),
      });
    }
  }
  return out.sort((a, b) => prefixKey(a.prefix).localeCompare(prefixKey(b.prefix)));
}

const prefixKey = (p: string) => {
  const [ip, len] = p.split('/');
  return `${ip!.split('.').map((x) => x.padStart(3, '0')).join('.')}/${(len ?? '32').padStart(2, '0')}`;
};
