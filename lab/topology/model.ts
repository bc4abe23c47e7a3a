// Facts derived from a topology: pod CIDRs, pods, expected BGP sessions, device lookup.
// Every driver, renderer and command reads the fabric through these, never re-derives it.
import type { KubeNode, PeeringPolicy, Rack, Router, Topology } from './schema.js';
import { addressOf, contains, hostIn, nthSubnet } from './ip.js';

/** podSubnet split in /24s in node order, as the kube-controller-manager allocates. */
export function podCidrOf(topo: Topology, node: KubeNode): string {
  if (node.podCIDR) return node.podCIDR;
  const index = topo.cluster.nodes.findIndex((n) => n.name === node.name);
  return nthSubnet(topo.cluster.podSubnet, 24, index);
}

export interface Pod {
  name: string;
  node: string;
  ip: string;
  podCIDR: string;
}

/** The demo DaemonSet's pods: one per node (or podsPerNode), addresses from the node's pod CIDR. */
export function podsOf(topo: Topology, podsPerNode = topo.demo.podsPerNode): Pod[] {
  const pods: Pod[] = [];
  for (const node of topo.cluster.nodes) {
    const cidr = podCidrOf(topo, node);
    const suffix = node.name.startsWith(`${topo.cluster.name}-`)
      ? node.name.slice(topo.cluster.name.length + 1)
      : node.name;
    for (let i = 0; i < podsPerNode; i++) {
      pods.push({
        name: podsPerNode === 1 ? `${topo.demo.name}-${suffix}` : `${topo.demo.name}-${suffix}-${i}`,
        node: node.name,
        ip: hostIn(cidr, 10 + i),
        podCIDR: cidr,
      });
    }
  }
  return pods;
}

export function policyForNode(topo: Topology, node: KubeNode): PeeringPolicy | undefined {
  return topo.cilium.bgpPeeringPolicies.find((p) =>
    Object.entries(p.nodeSelector.matchLabels).every(([k, v]) => node.labels[k] === v),
  );
}

export function rackOf(topo: Topology, node: KubeNode): Rack {
  const rack = topo.racks.find((r) => r.name === node.rack);
  if (!rack) throw new Error(`node ${node.name}: unknown rack ${node.rack}`);
  return rack;
}

export type DeviceRef =
  | { kind: 'router'; name: string; router: Router }
  | { kind: 'node'; name: string; node: KubeNode }
  | { kind: 'pod'; name: string; pod: Pod };

/** Which device owns an address (router interface or node IP or pod IP). */
export function ownerOfAddress(topo: Topology, ip: string): DeviceRef | undefined {
  for (const router of topo.routers) {
    if (router.interfaces.some((i) => addressOf(i.address) === ip)) return { kind: 'router', name: router.name, router };
  }
  for (const node of topo.cluster.nodes) if (node.ip === ip) return { kind: 'node', name: node.name, node };
  for (const pod of podsOf(topo)) if (pod.ip === ip) return { kind: 'pod', name: pod.name, pod };
  return undefined;
}

export interface ExpectedSession {
  /** Device that holds this view of the session (router or node). */
  device: string;
  deviceKind: 'router' | 'node';
  localAs: number;
  localAddress: string;
  peer: string;
  peerAddress: string;
  peerAs: number;
  type: 'ebgp' | 'ibgp';
}

function localAddressToward(router: Router, peerIp: string): string {
  const iface = router.interfaces.find((i) => contains(i.address, peerIp));
  return iface ? addressOf(iface.address) : router.routerId;
}

/** Every session end of the fabric: routers' neighbors, and nodes' neighbors from their policy. */
export function sessionEnds(topo: Topology): ExpectedSession[] {
  const ends: ExpectedSession[] = [];
  for (const router of topo.routers) {
    for (const n of router.neighbors) {
      const owner = ownerOfAddress(topo, n.address);
      ends.push({
        device: router.name,
        deviceKind: 'router',
        localAs: router.asn,
        localAddress: localAddressToward(router, n.address),
        peer: owner?.name ?? n.address,
        peerAddress: n.address,
        peerAs: n.asn,
        type: n.asn === router.asn ? 'ibgp' : 'ebgp',
      });
    }
  }
  for (const node of topo.cluster.nodes) {
    const policy = policyForNode(topo, node);
    if (!policy) continue;
    for (const vr of policy.virtualRouters) {
      for (const n of vr.neighbors) {
        const peerAddress = addressOf(n.peerAddress);
        ends.push({
          device: node.name,
          deviceKind: 'node',
          localAs: vr.localASN,
          localAddress: node.ip,
          peer: ownerOfAddress(topo, peerAddress)?.name ?? peerAddress,
          peerAddress,
          peerAs: n.peerASN,
          type: n.peerASN === vr.localASN ? 'ibgp' : 'ebgp',
        });
      }
    }
  }
  return ends;
}

/**
 * Each session of the fabric once: router-to-router sessions seen from the lower tier
 * (leaf toward spine), node sessions seen from the node (as `cilium bgp peers` shows them).
 */
export function sessions(topo: Topology): ExpectedSession[] {
  const ends = sessionEnds(topo);
  const seen = new Set<string>();
  const rank = (e: ExpectedSession) =>
    e.deviceKind === 'node' ? 0 : topo.routers.find((r) => r.name === e.device)?.role === 'leaf' ? 1 : 2;
  const out: ExpectedSession[] = [];
  for (const e of [...ends].sort((a, b) => rank(a) - rank(b))) {
    const key = [e.localAddress, e.peerAddress].sort().join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export function routerNames(topo: Topology): string[] {
  return topo.routers.map((r) => r.name);
}
export function nodeNames(topo: Topology): string[] {
  return topo.cluster.nodes.map((n) => n.name);
}
export function podNames(topo: Topology): string[] {
  return podsOf(topo).map((p) => p.name);
}

export function findRouter(topo: Topology, name: string): Router | undefined {
  return topo.routers.find((r) => r.name === name);
}
export function findNode(topo: Topology, name: string): KubeNode | undefined {
  return topo.cluster.nodes.find((n) => n.name === name);
}
