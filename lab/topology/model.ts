// Facts derived from a topology: pod CIDRs, pods, expected BGP sessions, device lookup.
// Every driver, renderer and command reads the fabric through these, never re-derives it.
import type { KubeNode, PeeringPolicy, Rack, Router, Topology } from './schema.js';
import { addressOf, contains, hostIn, isV6, nthSubnet } from './ip.js';
import { desiredAgents, intentOf } from '../cilium/desired.js';

/** podSubnet split in /24s in node order, as the kube-controller-manager allocates. */
export function podCidrOf(topo: Topology, node: KubeNode): string {
  if (node.podCIDR) return node.podCIDR;
  const index = topo.cluster.nodes.findIndex((n) => n.name === node.name);
  return nthSubnet(topo.cluster.podSubnet, 24, index);
}

/** Dual stack: the node's IPv6 pod CIDR (podCIDR6, or podSubnet6 split in /64s in node order). */
export function podCidr6Of(topo: Topology, node: KubeNode): string | undefined {
  if (node.podCIDR6) return node.podCIDR6;
  if (!topo.cluster.podSubnet6) return undefined;
  return nthSubnet(topo.cluster.podSubnet6, 64, topo.cluster.nodes.findIndex((n) => n.name === node.name));
}

/** The topology has IPv6 somewhere (a dual-stack fabric): the IPv6 wiring, waits and checks apply. */
export function hasIpv6(topo: Topology): boolean {
  return Boolean(topo.cluster.podSubnet6) || topo.routers.some((r) => r.interfaces.some((i) => i.address6));
}

export interface Pod {
  name: string;
  node: string;
  ip: string;
  podCIDR: string;
  /** Dual stack only: the pod's IPv6 (host 10+i of the node's IPv6 pod CIDR, like its IPv4). */
  ip6?: string;
  podCIDR6?: string;
}

/** The demo DaemonSet's pods: one per node (or podsPerNode), addresses from the node's pod CIDR. */
export function podsOf(topo: Topology, podsPerNode = topo.demo.podsPerNode): Pod[] {
  const pods: Pod[] = [];
  for (const node of topo.cluster.nodes) {
    const cidr = podCidrOf(topo, node);
    const cidr6 = podCidr6Of(topo, node);
    const suffix = node.name.startsWith(`${topo.cluster.name}-`)
      ? node.name.slice(topo.cluster.name.length + 1)
      : node.name;
    for (let i = 0; i < podsPerNode; i++) {
      pods.push({
        name: podsPerNode === 1 ? `${topo.demo.name}-${suffix}` : `${topo.demo.name}-${suffix}-${i}`,
        node: node.name,
        ip: hostIn(cidr, 10 + i),
        podCIDR: cidr,
        ...(cidr6 ? { ip6: hostIn(cidr6, 10 + i), podCIDR6: cidr6 } : {}),
      });
    }
  }
  return pods;
}

/**
 * The peering policy a node runs, read from the agent model (lab/cilium/desired.ts): undefined
 * when Cilium would configure nothing there (unselected, two policies, invalid, 1.19 without v2
 * objects). A node configured by v2 resources gets a v2alpha1-shaped view of its desired agent
 * (its instances as virtual routers), for readers that still speak the policy's shape.
 */
export function policyForNode(topo: Topology, node: KubeNode): PeeringPolicy | undefined {
  const intent = intentOf(topo, node);
  if (intent.state !== 'configured') return undefined;
  const [kind, name] = intent.agent.sources[0]!.split(' ');
  if (kind === 'CiliumBGPPeeringPolicy') return topo.cilium.bgpPeeringPolicies.find((p) => p.name === name);
  return {
    name: name!,
    nodeSelector: { matchLabels: { ...node.labels } },
    virtualRouters: intent.agent.instances.map((i) => ({
      localASN: i.localASN,
      exportPodCIDR: i.paths.some((p) => p.reason === 'PodCIDR'),
      neighbors: i.neighbors.map((n) => ({
        peerAddress: `${n.peerAddress}/32`,
        peerASN: n.peerASN,
        ...(n.explicitTimers.connectRetry ? { connectRetryTimeSeconds: n.timers.connectRetry } : {}),
        ...(n.explicitTimers.holdTime ? { holdTimeSeconds: n.timers.holdTime } : {}),
        ...(n.explicitTimers.keepalive ? { keepAliveTimeSeconds: n.timers.keepalive } : {}),
      })),
    })),
  };
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
  // Called per next hop and per probe (thousands of times on a 256-node fabric, where a scan
  // of every device cost 17 s of one `up`): an index per topology object. Every hit is checked
  // against the device and every miss rebuilds it once, so a topology edited in place never
  // answers stale.
  const index = ownerIndex.get(topo);
  const hit = index?.get(ip);
  if (hit && ownsAddress(hit, ip)) return hit;
  const fresh = indexOwners(topo);
  ownerIndex.set(topo, fresh);
  return fresh.get(ip);
}

const ownerIndex = new WeakMap<Topology, Map<string, DeviceRef>>();

function ownsAddress(d: DeviceRef, ip: string): boolean {
  return d.kind === 'router' ? d.router.interfaces.some((i) => addressOf(i.address) === ip || (i.address6 && addressOf(i.address6) === ip)) : d.kind === 'node' ? d.node.ip === ip || d.node.ip6 === ip : d.pod.ip === ip || d.pod.ip6 === ip;
}

/** Every address's owner: routers first, then nodes, then pods (the first owner wins). */
function indexOwners(topo: Topology): Map<string, DeviceRef> {
  const m = new Map<string, DeviceRef>();
  const add = (ip: string | undefined, d: DeviceRef) => { if (ip && !m.has(ip)) m.set(ip, d); };
  for (const router of topo.routers) for (const i of router.interfaces) {
    const d: DeviceRef = { kind: 'router', name: router.name, router };
    add(addressOf(i.address), d);
    if (i.address6) add(addressOf(i.address6), d);
  }
  for (const node of topo.cluster.nodes) { add(node.ip, { kind: 'node', name: node.name, node }); add(node.ip6, { kind: 'node', name: node.name, node }); }
  for (const pod of podsOf(topo)) { add(pod.ip, { kind: 'pod', name: pod.name, pod }); add(pod.ip6, { kind: 'pod', name: pod.name, pod }); }
  return m;
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
  if (isV6(peerIp)) {
    const itf6 = router.interfaces.find((i) => i.address6 && contains(i.address6, peerIp));
    return itf6 ? addressOf(itf6.address6!) : router.routerId;
  }
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
  for (const intent of desiredAgents(topo)) {
    if (intent.state !== 'configured') continue;
    for (const inst of intent.agent.instances) {
      for (const n of inst.neighbors) {
        ends.push({
          device: intent.node,
          deviceKind: 'node',
          localAs: inst.localASN,
          localAddress: n.localAddress,
          peer: ownerOfAddress(topo, n.peerAddress)?.name ?? n.peerAddress,
          peerAddress: n.peerAddress,
          peerAs: n.peerASN,
          type: n.peerASN === inst.localASN ? 'ibgp' : 'ebgp',
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
