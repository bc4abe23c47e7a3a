// `cilium bgp peers -o json` (Cilium 1.14+) in the shape of `gobgp -j neighbor`, so the shared
// parsers read node sessions the same on both drivers.
interface CiliumPeer {
  'peer-address'?: string;
  'peer-asn'?: number;
  'local-asn'?: number;
  'session-state'?: string;
  'uptime-nanoseconds'?: number;
  families?: { received?: number; advertised?: number }[];
}

export function ciliumPeersAsGobgp(json: string, now = Date.now()): string {
  const peers = JSON.parse(json || '[]') as CiliumPeer[];
  return JSON.stringify(
    (peers ?? []).map((p) => ({
      conf: { neighbor_address: p['peer-address'], peer_asn: p['peer-asn'], local_asn: p['local-asn'] },
      state: { session_state: p['session-state'] ?? 'unknown' },
      timers: p['uptime-nanoseconds'] ? { state: { uptime: { seconds: Math.floor(now / 1000 - p['uptime-nanoseconds'] / 1e9) } } } : undefined,
      afi_safis: [{ state: { received: p.families?.[0]?.received ?? 0, advertised: p.families?.[0]?.advertised ?? 0 } }],
    })),
  );
}
