// What Cilium's BGP control plane on each node wants its embedded GoBGP to be: the contract
// between the agent model (which reads the lab's Cilium objects the way the agent's
// controller does, per version) and the embedded runtime (which applies it to a running
// gobgpd through GoBGP's API, changing only what Cilium's reconcilers would change).
//
// The model gives Cilium's values (explicit or the version's defaults). The lab's one timer
// deviation (fast defaults, so a fabric converges in seconds) is applied by `effectiveTimers`
// and shown wherever timers are shown; a timer the objects set explicitly always wins.
import type { KubeNode, Topology } from '../topology/schema.js';
import { policyError, policyInstances, policySelection } from './peering-policy.js';
import { clusterConfigInstances, clusterConfigsOf } from './bgp-v2.js';
import { hasBgpV2Objects, hasPeeringPolicy, keepsStateOnPolicyConflict } from './version.js';

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
  /** Address the node connects from: the node IP, or a CiliumBGPNodeConfigOverride's localAddress. (added by the model) */
  localAddress: string;
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
  /**
   * v2 (CiliumBGPClusterConfig, 1.16+): every advertisement is exported through per-peer routing
   * policies with a default export of REJECT (reconcilerv2/policies.go), so nothing reaches a
   * peer unless an advertisement aims it there, learned routes included. Absent: v2alpha1.
   */
  exportReject?: boolean;
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

/**
 * The neighbors (addresses, in the instance's order) an instance sends a prefix to, as its GoBGP
 * export does: the desired paths' own neighbors (v2 per-peer advertisements, v2alpha1 per-neighbor
 * attributes), every neighbor for a path without them; a prefix the instance was not asked for
 * (drift) goes to every neighbor under GoBGP's default accept, to none under v2's default REJECT.
 */
export function pathPeers(inst: DesiredInstance, prefix: string): string[] {
  const paths = inst.paths.filter((p) => p.prefix === prefix);
  const all = inst.neighbors.map((n) => n.peerAddress);
  if (!paths.length) return inst.exportReject ? [] : all;
  const names = new Set(paths.flatMap((p) => p.toNeighbors ?? inst.neighbors.map((n) => n.name)));
  return inst.neighbors.filter((n) => names.has(n.name)).map((n) => n.peerAddress);
}

/** Timers the embedded gobgpd runs with: explicit values as set; defaults the lab's fast ones unless `cilium`. */
export function effectiveTimers(n: DesiredNeighbor, defaults: 'lab' | 'cilium' = 'lab'): BgpTimers {
  const base = defaults === 'lab' ? LAB_FAST_TIMERS : CILIUM_DEFAULT_TIMERS;
  const pick = (k: keyof BgpTimers) => (n.explicitTimers[k] ? n.timers[k] : base[k]);
  return { connectRetry: pick('connectRetry'), holdTime: pick('holdTime'), keepalive: pick('keepalive') };
}

/**
 * Every node's intent, as Cilium's agent of the topology's version would compute it from the
 * lab's Cilium objects: v2alpha1 peering policies (lab/cilium/peering-policy.ts) up to 1.18,
 * the v2 resources (lab/cilium/bgp-v2.ts) from 1.16. A node a peering policy selects is run by
 * it (1.16–1.18 pkg/bgpv1/agent/controller.go: BGPv1 first, the v2 config only without one).
 */
export function desiredAgents(topo: Topology): AgentIntent[] {
  return topo.cluster.nodes.map((node) => intentOf(topo, node));
}

export function desiredAgentOf(topo: Topology, nodeName: string): AgentIntent | undefined {
  const node = topo.cluster.nodes.find((n) => n.name === nodeName);
  return node ? intentOf(topo, node) : undefined;
}

/** The configured agents only. */
export function configuredAgents(topo: Topology): DesiredAgent[] {
  return desiredAgents(topo).flatMap((i) => (i.state === 'configured' ? [i.agent] : []));
}

const configured = (node: KubeNode, instances: DesiredInstance[], sources: string[]): AgentIntent => ({
  node: node.name,
  state: 'configured',
  agent: { node: node.name, hostname: node.name, nodeIp: node.ip, instances, sources },
});

export function intentOf(topo: Topology, node: KubeNode): AgentIntent {
  const version = topo.cilium.version;
  const sel = policySelection(topo, node);
  if (hasPeeringPolicy(version)) {
    if (sel.state === 'conflict') {
      const names = sel.policies.map((p) => p.name);
      return {
        node: node.name,
        state: 'conflict',
        // 1.14/1.15 controller.go Reconcile: the selection error → FullWithdrawal. 1.16–1.18 (the
        // BGPv1/v2 mode table): the error is returned before anything is applied or cleaned up, so
        // a node starting fresh, as at `up` or `agent restart`, configures nothing, its v2
        // CiliumBGPNodeConfig included, and a running agent keeps what it last applied (the embedded
        // runtime keeps that agent untouched: lab/drivers/embedded/ops.ts reconcileAgents).
        reason: keepsStateOnPolicyConflict(version)
          ? `more than one CiliumBGPPeeringPolicy applies to this node (${names.join(', ')}); Cilium's agent stops at that error and applies nothing, not even a CiliumBGPClusterConfig's: a running agent keeps what it last applied (its sessions stay up; no later edit reaches it) and logs the selection error, a restarted agent peers with nothing`
          : `more than one CiliumBGPPeeringPolicy applies to this node (${names.join(', ')}); Cilium applies no policy at all and withdraws every session`,
        sources: names.map((n) => `CiliumBGPPeeringPolicy ${n}`),
      };
    }
    if (sel.state === 'selected') {
      const source = `CiliumBGPPeeringPolicy ${sel.policy.name}`;
      const err = policyError(sel.policy);
      if (err) return { node: node.name, state: 'invalid', reason: err, sources: [source] };
      return configured(node, policyInstances(topo, node, sel.policy), [source]);
    }
  }
  if (hasBgpV2Objects(version)) {
    const [cc] = clusterConfigsOf(topo, node);
    if (cc) {
      const r = clusterConfigInstances(topo, node, cc);
      if (r.error) return { node: node.name, state: 'invalid', reason: r.error, sources: r.sources };
      return configured(node, r.instances, r.sources);
    }
  }
  if (!hasPeeringPolicy(version) && sel.state !== 'unselected') {
    const names = sel.state === 'conflict' ? sel.policies.map((p) => p.name) : [sel.policy.name];
    return {
      node: node.name,
      state: 'unsupported',
      reason: `Cilium ${version} has no CiliumBGPPeeringPolicy (removed in 1.19): ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} ignored and no CiliumBGPClusterConfig selects this node, so it does not peer`,
      sources: names.map((n) => `CiliumBGPPeeringPolicy ${n}`),
    };
  }
  return {
    node: node.name,
    state: 'unselected',
    reason: hasBgpV2Objects(version) ? 'no CiliumBGPPeeringPolicy or CiliumBGPClusterConfig selects this node' : 'no CiliumBGPPeeringPolicy selects this node',
    sources: [],
  };
}
