// DesiredAgent (lab/cilium/desired.ts) → GoBGP API messages, as Cilium's agent builds them
// for its embedded GoBGP (pkg/bgpv1/gobgp in 1.14: StartBgp with the node's ASN and router id,
// one Peer per neighbor, paths with origin IGP and the node as next hop).
import type { AddressFamily, DesiredAgent, DesiredInstance, DesiredNeighbor, DesiredPath } from '../cilium/desired.js';
import { effectiveTimers } from '../cilium/desired.js';
import { any, type Msg } from './client.js';

/** How sessions open: Cilium's (no listener, the node connects) or the lab's opt-in deviation. */
export type ConnectMode = 'cilium' | 'fast-connect';

/**
 * The port gobgpd listens on: Cilium's -1 (none), or 179 so the leaves may connect (--fast-connect).
 * One node address has one port 179: under --fast-connect only the node's first instance listens,
 * every further instance connects out as Cilium's do (first attempt 5–9 s after it starts).
 */
export function listenPortOf(inst: DesiredInstance, mode: ConnectMode, slot = 0): number {
  return mode === 'fast-connect' && slot === 0 ? 179 : inst.listenPort;
}

/** A session the node opens itself (its gobgpd listens on no port for it). */
export interface NodeOpenedSession {
  node: string;
  instance: string;
  localAs: number;
  peerAddress: string;
}

/**
 * The sessions the nodes open themselves, after GoBGP's first connect (5–10 s): every one as in
 * Cilium; under --fast-connect those of each node's instances past the first, which have no
 * listener. Their peer still connects to the node's port 179 and reaches the first instance's
 * gobgpd, which does not know it and closes the connection ("Can't find configuration for a new
 * passive connection"): only the node's own connect opens these sessions.
 */
export function nodeOpenedSessions(agents: DesiredAgent[], mode: ConnectMode): NodeOpenedSession[] {
  return agents.flatMap((a) =>
    a.instances.flatMap((inst, slot) => (listenPortOf(inst, mode, slot) > 0 ? [] : inst.neighbors.map((n) => ({ node: a.node, instance: inst.name, localAs: inst.localASN, peerAddress: n.peerAddress })))),
  );
}

export function familyOf(f: AddressFamily): Msg {
  return f === 'ipv6-unicast' ? { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' } : { afi: 'AFI_IP', safi: 'SAFI_UNICAST' };
}

export function globalOf(inst: DesiredInstance, mode: ConnectMode, slot = 0): Msg {
  return {
    asn: inst.localASN,
    routerId: inst.routerId,
    listenPort: listenPortOf(inst, mode, slot),
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

// Per-peer advertisements, as Cilium's v2 reconcilers make them (reconcilerv2/policies.go
// CreatePolicy + ReconcileRoutePolicies, GoBGP's routing policy API): the path is added once to
// the instance's RIB without per-peer attributes; an export policy statement per peer matches
// the peer (/32 neighbor set) and the prefixes (prefix set), accepts and sets local preference
// and communities; the global export default is REJECT, so a path reaches only the peers a
// statement names. An instance none of whose paths is aimed at some peers only keeps GoBGP's
// default (every path to every peer, attributes on the path), as 1.14's reconcilers do.

export interface ExportStatement {
  neighbor: string;
  prefixes: string[];
  communities: string[];
  largeCommunities: string[];
  localPreference?: number;
}

export interface ExportPolicy {
  /** GoBGP object name: `cilium-lab-<peer>`. */
  name: string;
  neighbor: string;
  statements: ExportStatement[];
}

export interface ExportPlan {
  /** What AddPath gets: one path per prefix and family (attributes only without policies). */
  paths: DesiredPath[];
  /** Export policies, one per peer; undefined: no routing policy (GoBGP's default accept). */
  policies?: ExportPolicy[];
  /** What the global export does with a path no statement accepts: REJECT for v2 (Cilium's), ACCEPT for v2alpha1's per-neighbor attributes. */
  defaultAction?: 'ACCEPT' | 'REJECT';
}

const isLarge = (c: string) => /^\d+:\d+:\d+$/.test(c);

export function exportPlan(inst: DesiredInstance): ExportPlan {
  if (!inst.exportReject && !inst.paths.some((p) => p.toNeighbors)) return { paths: inst.paths };
  const addrOf = new Map(inst.neighbors.map((n) => [n.name, n.peerAddress]));
  const paths = new Map<string, DesiredPath>();
  const byPeer = new Map<string, Map<string, ExportStatement>>();
  for (const p of inst.paths) {
    const key = JSON.stringify([p.prefix, p.family]);
    if (!paths.has(key)) paths.set(key, { prefix: p.prefix, family: p.family, nexthop: p.nexthop, origin: p.origin, reason: p.reason, source: p.source });
    const targets = p.toNeighbors ? p.toNeighbors.map((n) => addrOf.get(n)).filter((x): x is string => Boolean(x)) : inst.neighbors.map((n) => n.peerAddress);
    const communities = (p.communities ?? []).filter((c) => !isLarge(c));
    const largeCommunities = (p.communities ?? []).filter(isLarge);
    for (const neighbor of targets) {
      const stmts = byPeer.get(neighbor) ?? new Map<string, ExportStatement>();
      byPeer.set(neighbor, stmts);
      // Statements keyed by their actions (Cilium keys them by conditions and merges actions;
      // the lab's paths carry one attribute set each, so grouping by actions is the same).
      const skey = JSON.stringify([p.family, communities, largeCommunities, p.localPreference ?? null]);
      const s = stmts.get(skey) ?? { neighbor, prefixes: [], communities, largeCommunities, ...(p.localPreference !== undefined ? { localPreference: p.localPreference } : {}) };
      if (!s.prefixes.includes(p.prefix)) s.prefixes.push(p.prefix);
      stmts.set(skey, s);
    }
  }
  const policies = [...byPeer.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([neighbor, stmts]) => ({ name: `cilium-lab-${neighbor}`, neighbor, statements: [...stmts.values()].map((s) => ({ ...s, prefixes: [...s.prefixes].sort() })) }));
  // No policy at all (nothing advertised): Cilium makes no AddRoutePolicy call, GoBGP keeps its default.
  if (!policies.length) return { paths: [...paths.values()] };
  return { paths: [...paths.values()], policies, defaultAction: inst.exportReject ? 'REJECT' : 'ACCEPT' };
}

/** The GoBGP messages of one export policy: its defined sets, then the policy (statements inline). */
export function policyMessages(p: ExportPolicy): { definedSets: Msg[]; policy: Msg } {
  const definedSets: Msg[] = [{ definedType: 'NEIGHBOR', name: `${p.name}-peer`, list: [`${p.neighbor}/32`] }];
  const statements = p.statements.map((s, i) => {
    const prefixSet = `${p.name}-s${i}`;
    definedSets.push({
      definedType: 'PREFIX',
      name: prefixSet,
      prefixes: s.prefixes.map((x) => {
        const len = Number(x.split('/')[1]);
        return { ipPrefix: x, maskLengthMin: len, maskLengthMax: len };
      }),
    });
    return {
      name: `${p.name}-s${i}`,
      conditions: { prefixSet: { type: 'ANY', name: prefixSet }, neighborSet: { type: 'ANY', name: `${p.name}-peer` } },
      actions: {
        routeAction: 'ACCEPT',
        ...(s.communities.length ? { community: { type: 'ADD', communities: s.communities } } : {}),
        ...(s.largeCommunities.length ? { largeCommunity: { type: 'ADD', communities: s.largeCommunities } } : {}),
        ...(s.localPreference !== undefined ? { localPref: { value: s.localPreference } } : {}),
      },
    };
  });
  return { definedSets, policy: { name: p.name, statements } };
}
