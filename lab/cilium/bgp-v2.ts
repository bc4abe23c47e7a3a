// The v2 BGP resources as the operator and agent read them (1.16+; cilium.io/v2alpha1 in
// 1.16–1.17, cilium.io/v2 from 1.18). Rules, from upstream (v1.16 unless noted):
// - operator/pkg/bgpv2/cluster.go: a CiliumBGPClusterConfig writes a CiliumBGPNodeConfig for every
//   node its nodeSelector selects (nil: every node, bgp_cluster_types.go); a node already owned
//   by another cluster config keeps that one (status condition ConflictingClusterConfigs, 1.17+).
//   The lab's list order stands for creation order.
// - CiliumBGPNodeConfigOverride named after the node: routerID, localPort, peers[].localAddress
//   per instance name (bgp_node_override_types.go).
// - pkg/bgpv1/manager/reconcilerv2/neighbor.go: each peer with its CiliumBGPPeerConfig (timers,
//   transport.peerPort, ebgpMultihop, gracefulRestart, families); no peerConfigRef: the defaults
//   (IPv4 and IPv6 unicast, no advertisements; bgp_peer_types.go).
// - reconcilerv2/podcidr.go, service.go: per peer and family, the CiliumBGPAdvertisements the
//   family's `advertisements` label selector matches (nil: none); PodCIDR, Service (nil service
//   selector: no Service), CiliumPodIPPool; attributes communities and localPreference.
import type { BgpAdvertisement, BgpClusterConfig, BgpPeerConfig, KubeNode, Topology } from '../topology/schema.js';
import { podCidrOf } from '../topology/model.js';
import { selectorMatches, type LabelSelector } from './selector.js';
import { servicePaths } from './services.js';
import { atLeast } from './version.js';
import { CILIUM_DEFAULT_TIMERS, type AddressFamily, type DesiredInstance, type DesiredNeighbor, type DesiredPath } from './desired.js';

export const clusterConfigSelects = (c: BgpClusterConfig, node: KubeNode) => !c.nodeSelector || selectorMatches(c.nodeSelector as LabelSelector, node.labels);

/** The cluster configs selecting a node, the owning one first. */
export function clusterConfigsOf(topo: Topology, node: KubeNode): BgpClusterConfig[] {
  return topo.cilium.bgpClusterConfigs.filter((c) => clusterConfigSelects(c, node));
}

const FAMILY: Record<string, AddressFamily> = { ipv4: 'ipv4-unicast', ipv6: 'ipv6-unicast' };

/** Advertisements selected by a family's label selector (nil: none; `{}`: all). */
export function advertisementsSelected(topo: Topology, sel: LabelSelector | undefined): BgpAdvertisement[] {
  if (!sel) return [];
  return topo.cilium.bgpAdvertisements.filter((a) => selectorMatches(sel, a.labels));
}

/** Cilium's words for what the agent refuses in a peer config it uses (1.16–1.17 have no CRD rule for it). */
export function peerConfigError(pc: BgpPeerConfig): string | undefined {
  const keepalive = pc.timers?.keepAliveTimeSeconds ?? CILIUM_DEFAULT_TIMERS.keepalive;
  const hold = pc.timers?.holdTimeSeconds ?? CILIUM_DEFAULT_TIMERS.holdTime;
  if (keepalive > hold) return `CiliumBGPPeerConfig ${pc.name}: keepAliveTimeSeconds can not be larger than holdTimeSeconds`;
  return undefined;
}

export interface V2Result {
  instances: DesiredInstance[];
  sources: string[];
  /** The agent's error for the node, if it refuses its config. */
  error?: string;
}

export function clusterConfigInstances(topo: Topology, node: KubeNode, cc: BgpClusterConfig): V2Result {
  const override = topo.cilium.bgpNodeConfigOverrides.find((o) => o.name === node.name);
  const sources = new Set<string>([`CiliumBGPClusterConfig ${cc.name}`]);
  if (override) sources.add(`CiliumBGPNodeConfigOverride ${override.name}`);
  const instances: DesiredInstance[] = [];
  for (const inst of cc.bgpInstances) {
    const ov = override?.bgpInstances.find((i) => i.name === inst.name);
    const neighbors: DesiredNeighbor[] = [];
    const paths: DesiredPath[] = [];
    for (const [i, peer] of inst.peers.entries()) {
      if (!peer.peerAddress || !peer.peerASN) continue; // refused or warned by lab/cilium/issues.ts
      const pc = peer.peerConfigRef ? topo.cilium.bgpPeerConfigs.find((p) => p.name === peer.peerConfigRef!.name) : undefined;
      if (peer.peerConfigRef && !pc) continue; // the agent waits for the referenced peer config (warned)
      if (pc) {
        const err = !atLeast(topo.cilium.version, '1.18') ? peerConfigError(pc) : undefined;
        if (err) return { instances: [], sources: [...sources, `CiliumBGPPeerConfig ${pc.name}`], error: err };
        sources.add(`CiliumBGPPeerConfig ${pc.name}`);
      }
      const t = pc?.timers ?? {};
      const explicitTimers: DesiredNeighbor['explicitTimers'] = {};
      if (t.connectRetryTimeSeconds !== undefined) explicitTimers.connectRetry = true;
      if (t.holdTimeSeconds !== undefined) explicitTimers.holdTime = true;
      if (t.keepAliveTimeSeconds !== undefined) explicitTimers.keepalive = true;
      const families = pc?.families?.length ? pc.families : [{ afi: 'ipv4' as const, safi: 'unicast' as const, advertisements: undefined }, { afi: 'ipv6' as const, safi: 'unicast' as const, advertisements: undefined }];
      neighbors.push({
        name: peer.name,
        peerAddress: peer.peerAddress,
        peerASN: peer.peerASN,
        peerPort: pc?.transport?.peerPort ?? 179,
        localAddress: ov?.peers?.find((p) => p.name === peer.name)?.localAddress ?? node.ip,
        timers: {
          connectRetry: t.connectRetryTimeSeconds ?? CILIUM_DEFAULT_TIMERS.connectRetry,
          holdTime: t.holdTimeSeconds ?? CILIUM_DEFAULT_TIMERS.holdTime,
          keepalive: t.keepAliveTimeSeconds ?? CILIUM_DEFAULT_TIMERS.keepalive,
        },
        explicitTimers,
        ebgpMultihopTTL: pc?.ebgpMultihop ?? 1,
        gracefulRestart: { enabled: pc?.gracefulRestart?.enabled ?? false, restartTimeSeconds: pc?.gracefulRestart?.restartTimeSeconds ?? 120 },
        families: [...new Set(families.map((f) => FAMILY[f.afi]!))],
        source: `CiliumBGPClusterConfig ${cc.name} bgpInstances[${cc.bgpInstances.indexOf(inst)}].peers[${i}]`,
      });
      for (const fam of families) {
        for (const adv of advertisementsSelected(topo, fam.advertisements as LabelSelector | undefined)) {
          sources.add(`CiliumBGPAdvertisement ${adv.name}`);
          for (const a of adv.advertisements) {
            const c = a.attributes?.communities;
            const communities = c ? [...(c.standard ?? []), ...(c.wellKnown ?? []), ...(c.large ?? [])] : [];
            const attrs = { ...(communities.length ? { communities } : {}), ...(a.attributes?.localPreference !== undefined ? { localPreference: a.attributes.localPreference } : {}) };
            const source = `CiliumBGPAdvertisement ${adv.name}`;
            const family = FAMILY[fam.afi]!;
            if (a.advertisementType === 'PodCIDR' && fam.afi === 'ipv4')
              paths.push({ prefix: podCidrOf(topo, node), family, nexthop: node.ip, origin: 'igp', reason: 'PodCIDR', source, ...attrs, toNeighbors: [peer.name] });
            if (a.advertisementType === 'Service' && a.selector && a.service && fam.afi === 'ipv4')
              for (const p of servicePaths(topo, node, { selector: a.selector as LabelSelector, addresses: [...a.service.addresses], source }))
                paths.push({ ...p, ...attrs, toNeighbors: [peer.name] });
            // CiliumPodIPPool and Interface: the lab has no pod IP pools or extra interfaces (warned).
          }
        }
      }
    }
    instances.push({
      name: inst.name,
      localASN: inst.localASN ?? 0,
      routerId: ov?.routerID ?? node.ip,
      listenPort: ov?.localPort ?? inst.localPort ?? -1,
      neighbors,
      paths: mergePaths(paths, neighbors.map((n) => n.name)),
      exportReject: true,
    });
  }
  return { instances, sources: [...sources] };
}

/** One path per prefix and attributes; a path to every neighbor of the instance has no `toNeighbors`. */
function mergePaths(paths: DesiredPath[], all: string[]): DesiredPath[] {
  const byKey = new Map<string, DesiredPath>();
  for (const p of paths) {
    const key = JSON.stringify([p.prefix, p.family, p.communities, p.localPreference, p.reason, p.source]);
    const prev = byKey.get(key);
    if (prev) prev.toNeighbors = [...new Set([...(prev.toNeighbors ?? []), ...(p.toNeighbors ?? [])])];
    else byKey.set(key, { ...p, toNeighbors: [...(p.toNeighbors ?? [])] });
  }
  return [...byKey.values()].map((p) => {
    if (p.toNeighbors && all.every((n) => p.toNeighbors!.includes(n))) {
      const { toNeighbors: _all, ...rest } = p;
      return rest;
    }
    return p;
  });
}
