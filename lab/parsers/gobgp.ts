// GoBGP `-j` output (gobgp 3.x) into the product's types.
interface GobgpNeighbor {
  conf?: { neighbor_address?: string; peer_asn?: number; local_asn?: number };
  state?: { session_state?: number | string; neighbor_address?: string; peer_asn?: number; local_asn?: number };
  timers?: { state?: { uptime?: { seconds?: number } | string } };
  afi_safis?: { state?: { received?: number; accepted?: number; advertised?: number } }[];
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
    return {
      peerAddress: n.conf?.neighbor_address ?? n.state?.neighbor_address ?? '',
      peerAs: n.conf?.peer_asn ?? n.state?.peer_asn ?? 0,
      localAs: n.conf?.local_asn ?? n.state?.local_asn ?? 0,
      state,
      uptimeSeconds: state === 'Established' ? upSecs : undefined,
      received: afi?.received ?? 0,
      advertised: afi?.advertised ?? 0,
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
  attrs?: { type: number; nexthop?: string; as_paths?: { asns?: number[] }[] }[];
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
