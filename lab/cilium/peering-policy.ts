// The v2alpha1 CiliumBGPPeeringPolicy as Cilium's agent reads it (1.14–1.18; gone in 1.19).
// Rules, each from upstream at v1.14.0-rc.0 unless noted:
// - selection: pkg/bgpv1/agent/controller.go PolicySelection — a nil nodeSelector selects every
//   node; more than one matching policy is an error: 1.14–1.15 withdraw everything
//   (FullWithdrawal): "it will apply no policy at all" (Documentation/network/bgp-control-plane.rst);
//   1.16–1.18 return the error with nothing applied or withdrawn (version.ts keepsStateOnPolicyConflict).
// - validation: pkg/k8s/apis/cilium.io/v2alpha1/bgpp_types.go CiliumBGPNeighbor.Validate after
//   SetDefaults; the controller returns the error and configures nothing from the policy.
// - one BGP server per virtual router, keyed by localASN (pkg/bgpv1/manager/manager.go; a repeated
//   localASN stops the diff there: see duplicateAsnAt and lab/cilium/SOURCES.md), each
//   with ListenPort -1 (the agent never listens) and the node's IPv4 as router ID.
// - defaults: the CRD's (connectRetry 120, hold 90, keepalive 30, peerPort 179, eBGPMultihopTTL 1,
//   gracefulRestart.restartTimeSeconds 120); families IPv4 and IPv6 unicast (1.14 always; 1.15+
//   `families` when given: pkg/bgpv1/gobgp/conversions.go).
import type { KubeNode, PeeringNeighbor, PeeringPolicy, Topology } from '../topology/schema.js';
import { addressOf } from '../topology/ip.js';
import { podCidr6Of, podCidrOf } from '../topology/model.js';
import { selectorMatches, type LabelSelector } from './selector.js';
import { servicePaths } from './services.js';
import { atLeast } from './version.js';
import { CILIUM_DEFAULT_TIMERS, type AddressFamily, type DesiredInstance, type DesiredNeighbor, type DesiredPath } from './desired.js';

export type PolicySelection =
  | { state: 'selected'; policy: PeeringPolicy }
  | { state: 'unselected' }
  | { state: 'conflict'; policies: PeeringPolicy[] };

/** A nil nodeSelector selects every node (bgpp_types.go: "If empty / nil this policy applies to all nodes"). */
export const policySelects = (p: PeeringPolicy, node: KubeNode) => !p.nodeSelector || selectorMatches(p.nodeSelector as LabelSelector, node.labels);

export function policySelection(topo: Topology, node: KubeNode): PolicySelection {
  const matching = topo.cilium.bgpPeeringPolicies.filter((p) => policySelects(p, node));
  if (matching.length === 0) return { state: 'unselected' };
  if (matching.length > 1) return { state: 'conflict', policies: matching };
  return { state: 'selected', policy: matching[0]! };
}

/**
 * Cilium's words for a policy its agent refuses, or undefined: the controller's validatePolicy
 * (CiliumBGPNeighbor.Validate after SetDefaults) and reconcileBGPP's wrapping, verbatim.
 */
export function policyError(p: PeeringPolicy): string | undefined {
  for (const vr of p.virtualRouters) {
    for (const n of vr.neighbors) {
      const keepalive = n.keepAliveTimeSeconds ?? CILIUM_DEFAULT_TIMERS.keepalive;
      const hold = n.holdTimeSeconds ?? CILIUM_DEFAULT_TIMERS.holdTime;
      if (keepalive > hold) return `invalid BGP peering policy ${p.name}: KeepAliveTimeSeconds larger than HoldTimeSeconds for peer ASN:${n.peerASN} IP:${n.peerAddress}`;
    }
  }
  return undefined;
}

/**
 * The index of the first virtual router that repeats an earlier one's localASN, or -1.
 * manager.go's reconcileDiff keys servers by local ASN and stops at a repeat ("encountered
 * duplicate local ASNs"), an error ConfigurePeers ignores: the virtual routers before the
 * repeat are registered, the repeat and every one after it are not (no error on the node).
 */
export function duplicateAsnAt(p: PeeringPolicy): number {
  const seen = new Set<number>();
  for (const [i, vr] of p.virtualRouters.entries()) {
    if (seen.has(vr.localASN)) return i;
    seen.add(vr.localASN);
  }
  return -1;
}

const FAMILY: Record<string, AddressFamily> = { ipv4: 'ipv4-unicast', ipv6: 'ipv6-unicast' };
const DEFAULT_FAMILIES: AddressFamily[] = ['ipv4-unicast', 'ipv6-unicast'];

function neighborOf(p: PeeringPolicy, vrIndex: number, n: PeeringNeighbor, i: number, nodeIp: string, nodeIp6?: string): DesiredNeighbor {
  const explicitTimers: DesiredNeighbor['explicitTimers'] = {};
  if (n.connectRetryTimeSeconds !== undefined) explicitTimers.connectRetry = true;
  if (n.holdTimeSeconds !== undefined) explicitTimers.holdTime = true;
  if (n.keepAliveTimeSeconds !== undefined) explicitTimers.keepalive = true;
  const ip = addressOf(n.peerAddress);
  return {
    name: ip,
    peerAddress: ip,
    peerASN: n.peerASN,
    peerPort: n.peerPort ?? 179,
    // Dual stack: an IPv6 peer is reached from the node's IPv6 (the kernel's choice in Cilium, the same address here).
    localAddress: ip.includes(':') ? nodeIp6 ?? nodeIp : nodeIp,
    timers: {
      connectRetry: n.connectRetryTimeSeconds ?? CILIUM_DEFAULT_TIMERS.connectRetry,
      holdTime: n.holdTimeSeconds ?? CILIUM_DEFAULT_TIMERS.holdTime,
      keepalive: n.keepAliveTimeSeconds ?? CILIUM_DEFAULT_TIMERS.keepalive,
    },
    explicitTimers,
    ebgpMultihopTTL: n.eBGPMultihopTTL ?? 1,
    gracefulRestart: { enabled: n.gracefulRestart?.enabled ?? false, restartTimeSeconds: n.gracefulRestart?.restartTimeSeconds ?? 120 },
    families: n.families?.length ? [...new Set(n.families.map((f) => FAMILY[f.afi]!))] : [...DEFAULT_FAMILIES],
    source: `CiliumBGPPeeringPolicy ${p.name} virtualRouters[${vrIndex}].neighbors[${i}]`,
  };
}

/** The BGP instances (one per virtual router) a valid, selected policy gives this node. */
export function policyInstances(topo: Topology, node: KubeNode, p: PeeringPolicy): DesiredInstance[] {
  const version = topo.cilium.version;
  const source = `CiliumBGPPeeringPolicy ${p.name}`;
  const dup = duplicateAsnAt(p);
  return (dup >= 0 ? p.virtualRouters.slice(0, dup) : p.virtualRouters).map((vr, v) => {
    const neighbors = vr.neighbors.map((n, i) => neighborOf(p, v, n, i, node.ip, node.ip6));
    const paths: DesiredPath[] = [];
    // Every pod CIDR of the node (1.14 exportPodCIDR: IPv4AllocCIDR and IPv6AllocCIDR): IPv6 with
    // MP_REACH next hop "::", which GoBGP fills with the session's local address (pkg/bgpv1/gobgp AdvertisePath).
    const cidr6 = podCidr6Of(topo, node);
    const v6Base: DesiredPath | undefined = vr.exportPodCIDR && cidr6 ? { prefix: cidr6, family: 'ipv6-unicast', nexthop: '::', origin: 'igp', reason: 'PodCIDR', source } : undefined;
    if (vr.exportPodCIDR) {
      const base: DesiredPath = { prefix: podCidrOf(topo, node), family: 'ipv4-unicast', nexthop: node.ip, origin: 'igp', reason: 'PodCIDR', source };
      // 1.15+: advertisedPathAttributes of type PodCIDR, per neighbor; its selector matches the node's labels (nil: every node).
      const attrsFor = (n: PeeringNeighbor) =>
        n.advertisedPathAttributes?.find((a) => a.selectorType === 'PodCIDR' && (!a.selector || selectorMatches(a.selector as LabelSelector, node.labels)));
      if (vr.neighbors.every((n) => !attrsFor(n))) paths.push(base);
      else
        vr.neighbors.forEach((n, i) => {
          const a = attrsFor(n);
          const communities = a?.communities ? [...(a.communities.standard ?? []), ...(a.communities.wellKnown ?? []), ...(a.communities.large ?? [])] : undefined;
          paths.push({ ...base, ...(communities?.length ? { communities } : {}), ...(a?.localPreference !== undefined ? { localPreference: a.localPreference } : {}), toNeighbors: [neighbors[i]!.name] });
        });
    }
    if (v6Base) paths.push(v6Base);
    // A nil serviceSelector advertises no Service (1.14 pkg/bgpv1/manager/reconcile.go exportLBIPs);
    // 1.15 added serviceAdvertisements (default LoadBalancerIP: the CRD default).
    if (vr.serviceSelector) {
      const addresses = atLeast(version, '1.15') && vr.serviceAdvertisements?.length ? vr.serviceAdvertisements : ['LoadBalancerIP' as const];
      paths.push(...servicePaths(topo, node, { selector: vr.serviceSelector as LabelSelector, addresses: [...addresses], source }));
    }
    return { name: `as${vr.localASN}`, localASN: vr.localASN, routerId: node.ip, listenPort: -1, neighbors, paths };
  });
}
