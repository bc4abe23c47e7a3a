// Cilium: helm values and the BGP control-plane objects for the chosen Cilium version.
// 1.14/1.15 read CiliumBGPPeeringPolicy (v2alpha1, the seed's shape); 1.16 added
// CiliumBGPClusterConfig/PeerConfig/Advertisement (v2alpha1) and 1.18 promoted them to v2.
import type { PeeringPolicy, Topology } from '../topology/schema.js';
import { addressOf } from '../topology/ip.js';
import { ownerOfAddress } from '../topology/model.js';

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** Uses CiliumBGPClusterConfig & co. instead of the peering policy. */
export const usesBgpV2Objects = (version: string) => versionAtLeast(version, 1, 16);

/** The topology keeps the seed's `--set` values; fix what the chart does not read. */
export function helmValues(topo: Topology, version: string): Record<string, unknown> {
  const values = structuredClone(topo.cilium.helmValues) as Record<string, unknown>;
  // The seed sets a top-level monitorAggregation that no chart reads; it lives under bpf.
  if ('monitorAggregation' in values) {
    const bpf = (values.bpf ?? {}) as Record<string, unknown>;
    values.bpf = { ...bpf, monitorAggregation: values.monitorAggregation };
    delete values.monitorAggregation;
  }
  // `tunnel` was removed in 1.15; native routing is its replacement for tunnel=disabled.
  if (versionAtLeast(version, 1, 15) && 'tunnel' in values) {
    if (values.tunnel === 'disabled') values.routingMode = 'native';
    else values.tunnelProtocol = values.tunnel;
    delete values.tunnel;
  }
  return values;
}

export function peeringPolicyObjects(topo: Topology): Record<string, unknown>[] {
  return topo.cilium.bgpPeeringPolicies.map((p) => ({
    apiVersion: 'cilium.io/v2alpha1',
    kind: 'CiliumBGPPeeringPolicy',
    metadata: { name: p.name },
    spec: {
      nodeSelector: { matchLabels: { ...p.nodeSelector.matchLabels } },
      virtualRouters: p.virtualRouters.map((vr) => ({
        localASN: vr.localASN,
        exportPodCIDR: vr.exportPodCIDR,
        ...(vr.serviceSelector ? { serviceSelector: vr.serviceSelector } : {}),
        neighbors: vr.neighbors.map((n) => ({ ...n })),
      })),
    },
  }));
}

const ADVERTISE_LABEL = { advertise: 'bgp' };

/** One ClusterConfig and one PeerConfig per policy; one PodCIDR advertisement shared by all. */
export function bgpV2Objects(topo: Topology, version: string): Record<string, unknown>[] {
  const apiVersion = versionAtLeast(version, 1, 18) ? 'cilium.io/v2' : 'cilium.io/v2alpha1';
  const objects: Record<string, unknown>[] = [];
  const peerConfigName = (p: PeeringPolicy) => `${p.name}-peer`;
  for (const p of topo.cilium.bgpPeeringPolicies) {
    objects.push({
      apiVersion,
      kind: 'CiliumBGPClusterConfig',
      metadata: { name: p.name },
      spec: {
        nodeSelector: { matchLabels: { ...p.nodeSelector.matchLabels } },
        bgpInstances: p.virtualRouters.map((vr) => ({
          name: `as${vr.localASN}`,
          localASN: vr.localASN,
          peers: vr.neighbors.map((n) => {
            const ip = addressOf(n.peerAddress);
            return { name: ownerOfAddress(topo, ip)?.name ?? ip, peerASN: n.peerASN, peerAddress: ip, peerConfigRef: { name: peerConfigName(p) } };
          }),
        })),
      },
    });
    const n = p.virtualRouters[0]!.neighbors[0]!;
    const timers = Object.fromEntries(
      (['connectRetryTimeSeconds', 'holdTimeSeconds', 'keepAliveTimeSeconds'] as const).filter((k) => n[k] !== undefined).map((k) => [k, n[k]]),
    );
    objects.push({
      apiVersion,
      kind: 'CiliumBGPPeerConfig',
      metadata: { name: peerConfigName(p) },
      spec: {
        ...(Object.keys(timers).length ? { timers } : {}),
        families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: ADVERTISE_LABEL } }],
      },
    });
  }
  if (topo.cilium.bgpPeeringPolicies.some((p) => p.virtualRouters.some((vr) => vr.exportPodCIDR))) {
    objects.push({
      apiVersion,
      kind: 'CiliumBGPAdvertisement',
      metadata: { name: 'pod-cidr', labels: ADVERTISE_LABEL },
      spec: { advertisements: [{ advertisementType: 'PodCIDR' }] },
    });
  }
  return objects;
}

/** The objects `4-enable-bgp-peer.sh` applies for this version. */
export function ciliumBgpObjects(topo: Topology, version: string): Record<string, unknown>[] {
  return usesBgpV2Objects(version) ? bgpV2Objects(topo, version) : peeringPolicyObjects(topo);
}
