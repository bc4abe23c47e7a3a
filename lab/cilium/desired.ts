// What Cilium's BGP control plane on each node wants its embedded GoBGP to be: the contract
// between the agent model (which reads the lab's Cilium objects the way the agent's
// controller does, per version) and the embedded runtime (which applies it to a running
// gobgpd through GoBGP's API, changing only what Cilium's reconcilers would change).
//
// The model gives Cilium's values (explicit or the version's defaults). The lab's one timer
// deviation (fast defaults, so a fabric converges in seconds) is applied by `effectiveTimers`
// and shown wherever timers are shown; a timer the objects set explicitly always wins.
import type { KubeNode, Topology } from '../topology/schema.js';
import { addressOf } from '../topology/ip.js';
import { podCidrOf, policyForNode } from '../topology/model.js';
import { servicePaths } from './services.js';

export interface BgpTimers {
  connectRetry: number;
  holdTime: number;
  keepalive: number;
}

/** Cilium's defaults (1.14–1.19: connectRetry 120 s, hold 90 s, keepalive 30 s). */
export const CILIUM_DEFAULT_TIMERS: BgpTimers = { connectRetry: 120, holdTime: 90, keepalive: 30 };
/** The embedded lab's defaults, a declared deviation: sessions in seconds, not minutes. */
export const LAB_FAST_TIMERS: BgpTimers = { connectRetry: 1, holdTime: 9, keepalive: 3 };

export type AddressFamily = 'ipv4-unicast' | 'ipv6-unicast';

export interface DesiredNeighbor {
  /** Cilium's name for the peer: the v2 `peers[].name`, or the address for v2alpha1. */
  name: string;
  /** IP address, no prefix length. */
  peerAddress: string;
  peerASN: number;
  /** TCP port the node connects to (peerPort; 179 by default). */
  peerPort: number;
  /** Cilium's timers for this neighbor: explicit values or the version's defaults. */
  timers: BgpTimers;
  /** Which of `timers` the objects set explicitly (those are never overridden by the lab). */
  explicitTimers: Partial<Record<keyof BgpTimers, true>>;
  /** eBGP multihop TTL (1: directly connected). */
  ebgpMultihopTTL: number;
  gracefulRestart: { enabled: boolean; restartTimeSeconds: number };
  families: AddressFamily[];
  /** The object and field it comes from, e.g. `CiliumBGPPeeringPolicy rack0 virtualRouters[0].neighbors[0]`. */
  source: string;
}

export interface DesiredPath {
  /** Prefix, e.g. 10.98.0.0/24 or 172.18.255.200/32. */
  prefix: string;
  family: AddressFamily;
  nexthop: string;
  /** Cilium advertises with origin IGP. */
  origin: 'igp' | 'egp' | 'incomplete';
  communities?: string[];
  localPreference?: number;
  /** Why it is advertised: `PodCIDR`, `Service default/web LoadBalancerIP`, … */
  reason: string;
  /** The object that asks for it, e.g. `CiliumBGPPeeringPolicy rack0` or `CiliumBGPAdvertisement pod-cidr`. */
  source: string;
  /** Only to these neighbors (v2 advertisements are per peer); undefined: every neighbor of the instance. */
  toNeighbors?: string[];
}

/** One BGP instance (a v2alpha1 virtual router, a v2 bgpInstance): one local ASN. */
export interface DesiredInstance {
  name: string;
  localASN: number;
  routerId: string;
  /** Cilium's GoBGP listens on no port (-1): the node opens every session. */
  listenPort: number;
  neighbors: DesiredNeighbor[];
  paths: DesiredPath[];
}

export interface DesiredAgent {
  node: string;
  /** The node's hostname (Cilium's GoBGP sends the kind node's name in the FQDN capability). */
  hostname: string;
  nodeIp: string;
  instances: DesiredInstance[];
  /** The objects that configure this node, as `Kind name`. */
  sources: string[];
}

/** Per node: configured, or why Cilium runs no BGP there. */
export type AgentIntent =
  | { node: string; state: 'configured'; agent: DesiredAgent }
  | { node: string; state: 'unselected' | 'conflict' | 'invalid' | 'unsupported'; reason: string; sources: string[] };

/** Timers the embedded gobgpd runs with: explicit values as set; defaults the lab's fast ones unless `cilium`. */
export function effectiveTimers(n: DesiredNeighbor, defaults: 'lab' | 'cilium' = 'lab'): BgpTimers {
  const base = defaults === 'lab' ? LAB_FAST_TIMERS : CILIUM_DEFAULT_TIMERS;
  const pick = (k: keyof BgpTimers) => (n.explicitTimers[k] ? n.timers[k] : base[k]);
  return { connectRetry: pick('connectRetry'), holdTime: pick('holdTime'), keepalive: pick('keepalive') };
}

/**
 * Every node's intent. Interim implementation (first matching policy, first virtual router,
 * pod CIDR only); the version-aware reconciler model replaces it behind the same signature.
 */
export function desiredAgents(topo: Topology): AgentIntent[] {
  return topo.cluster.nodes.map((node) => intentOf(topo, node));
}

export function desiredAgentOf(topo: Topology, nodeName: string): AgentIntent | undefined {
  const node = topo.cluster.nodes.find((n) => n.name === nodeName);
  return node ? intentOf(topo, node) : undefined;
}

function intentOf(topo: Topology, node: KubeNode): AgentIntent {
  const policy = policyForNode(topo, node);
  if (!policy) return { node: node.name, state: 'unselected', reason: 'no CiliumBGPPeeringPolicy selects this node', sources: [] };
  const vr = policy.virtualRouters[0]!;
  const source = `CiliumBGPPeeringPolicy ${policy.name}`;
  const neighbors: DesiredNeighbor[] = vr.neighbors.map((n, i) => {
    const explicitTimers: DesiredNeighbor['explicitTimers'] = {};
    if (n.connectRetryTimeSeconds !== undefined) explicitTimers.connectRetry = true;
    if (n.holdTimeSeconds !== undefined) explicitTimers.holdTime = true;
    if (n.keepAliveTimeSeconds !== undefined) explicitTimers.keepalive = true;
    return {
      name: addressOf(n.peerAddress),
      peerAddress: addressOf(n.peerAddress),
      peerASN: n.peerASN,
      peerPort: 179,
      timers: {
        connectRetry: n.connectRetryTimeSeconds ?? CILIUM_DEFAULT_TIMERS.connectRetry,
        holdTime: n.holdTimeSeconds ?? CILIUM_DEFAULT_TIMERS.holdTime,
        keepalive: n.keepAliveTimeSeconds ?? CILIUM_DEFAULT_TIMERS.keepalive,
      },
      explicitTimers,
      ebgpMultihopTTL: 1,
      gracefulRestart: { enabled: false, restartTimeSeconds: 120 },
      families: ['ipv4-unicast'],
      source: `${source} virtualRouters[0].neighbors[${i}]`,
    };
  });
  const paths: DesiredPath[] = vr.exportPodCIDR
    ? [{ prefix: podCidrOf(topo, node), family: 'ipv4-unicast', nexthop: node.ip, origin: 'igp', reason: 'PodCIDR', source }]
    : [];
  // v2alpha1 virtualRouters[].serviceSelector (1.14): the LoadBalancer IPs the node announces.
  paths.push(...servicePaths(topo, node, { selector: vr.serviceSelector, addresses: ['LoadBalancerIP'], source }));
  return {
    node: node.name,
    state: 'configured',
    agent: {
      node: node.name,
      hostname: node.name,
      nodeIp: node.ip,
      instances: [{ name: `as${vr.localASN}`, localASN: vr.localASN, routerId: node.ip, listenPort: -1, neighbors, paths }],
      sources: [source],
    },
  };
}
