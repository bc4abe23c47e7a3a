// DesiredAgent (lab/cilium/desired.ts) → GoBGP API messages, as Cilium's agent builds them
// for its embedded GoBGP (pkg/bgpv1/gobgp in 1.14: StartBgp with the node's ASN and router id,
// one Peer per neighbor, paths with origin IGP and the node as next hop).
import type { AddressFamily, DesiredInstance, DesiredNeighbor, DesiredPath } from '../cilium/desired.js';
import { effectiveTimers } from '../cilium/desired.js';
import { any, type Msg } from './client.js';

/** How sessions open: Cilium's (no listener, the node connects) or the lab's opt-in deviation. */
export type ConnectMode = 'cilium' | 'fast-connect';

/** The port gobgpd listens on: Cilium's -1 (none), or 179 so the leaves may connect (--fast-connect). */
export function listenPortOf(inst: DesiredInstance, mode: ConnectMode): number {
  return mode === 'fast-connect' ? 179 : inst.listenPort;
}

export function familyOf(f: AddressFamily): Msg {
  return f === 'ipv6-unicast' ? { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' } : { afi: 'AFI_IP', safi: 'SAFI_UNICAST' };
}

export function globalOf(inst: DesiredInstance, mode: ConnectMode): Msg {
  return {
    asn: inst.localASN,
    routerId: inst.routerId,
    listenPort: listenPortOf(inst, mode),
    // Cilium sets this so paths it injects are advertised even when not installed (no zebra).
    routeSelectionOptions: { advertiseInactiveRoutes: true },
  };
}

export function peerOf(n: DesiredNeighbor, localAddress: string): Msg {
  const t = effectiveTimers(n);
  const gr = n.gracefulRestart.enabled;
  return {
    conf: { neighborAddress: n.peerAddress, peerAsn: n.peerASN },
    timers: { config: { connectRetry: t.connectRetry, holdTime: t.holdTime, keepaliveInterval: t.keepalive } },
    transport: { localAddress, remotePort: n.peerPort },
    ...(n.ebgpMultihopTTL > 1 ? { ebgpMultihop: { enabled: true, multihopTtl: n.ebgpMultihopTTL } } : {}),
    // A restarting speaker: the capability carries the restart time, each family preserved.
    ...(gr ? { gracefulRestart: { enabled: true, restartTime: n.gracefulRestart.restartTimeSeconds } } : {}),
    afiSafis: n.families.map((f) => ({
      config: { family: familyOf(f), enabled: true },
      ...(gr ? { mpGracefulRestart: { config: { enabled: true } } } : {}),
    })),
  };
}

const ORIGIN = { igp: 0, egp: 1, incomplete: 2 } as const;
const WELL_KNOWN: Record<string, number> = { 'no-export': 0xffffff01, 'no-advertise': 0xffffff02, 'no-export-subconfed': 0xffffff03, 'no-peer': 0xffffff04 };

/** `65000:100` or a well-known name → the 32-bit community value. */
export function communityValue(c: string): number {
  if (c in WELL_KNOWN) return WELL_KNOWN[c]!;
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(c);
  if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535) throw new Error(`not a standard community: ${c}`);
  return ((Number(m[1]) << 16) | Number(m[2])) >>> 0;
}

export function pathOf(p: DesiredPath): Msg {
  const [prefix, len] = p.prefix.split('/');
  const nlri = any('IPAddressPrefix', { prefix, prefixLen: Number(len) });
  const pattrs = [
    any('OriginAttribute', { origin: ORIGIN[p.origin] }),
    // IPv6 rides in MP_REACH_NLRI (as Cilium's AdvertisePath builds it); IPv4 in NEXT_HOP.
    p.family === 'ipv6-unicast'
      ? any('MpReachNLRIAttribute', { family: { afi: 2, safi: 1 } /* AFI_IP6, SAFI_UNICAST: verify() wants the numbers */, nextHops: [p.nexthop], nlris: [nlri] })
      : any('NextHopAttribute', { nextHop: p.nexthop }),
    ...(p.communities?.length ? [any('CommunitiesAttribute', { communities: p.communities.map(communityValue) })] : []),
    ...(p.localPreference !== undefined ? [any('LocalPrefAttribute', { localPref: p.localPreference })] : []),
  ];
  return { family: familyOf(p.family), nlri, pattrs };
}

/** What identifies an advertised path for the diff: prefix and every attribute. */
export function pathKey(p: DesiredPath): string {
  return JSON.stringify([p.prefix, p.family, p.nexthop, p.origin, p.communities ?? [], p.localPreference ?? null]);
}

/** What identifies a neighbor's configuration for the diff (the peer message itself). */
export function peerKey(n: DesiredNeighbor, localAddress: string): string {
  return JSON.stringify(peerOf(n, localAddress));
}
