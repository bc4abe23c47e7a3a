// What each node's BGP agent would announce for Services, and why (issue 13: `up --dry-run`
// lists it before anything runs): per node, every service request Cilium's agent would evaluate
// there — a v2alpha1 virtual router's serviceSelector (1.14+), a v2 CiliumBGPAdvertisement of
// type Service selected by a peer's CiliumBGPPeerConfig family (1.16+) — and, per Service, the
// /32 it announces or the reason it does not (lab/cilium/services.ts serviceDecisions, the same
// rules the agent model and `explain` use).
import type { KubeNode, Topology } from '../topology/schema.js';
import { intentOf } from './desired.js';
import { duplicateAsnAt, policySelection } from './peering-policy.js';
import { advertisementsSelected, clusterConfigsOf } from './bgp-v2.js';
import { serviceDecisions, type ServiceAdvertisementRequest } from './services.js';
import { atLeast, hasBgpV2Objects, hasPeeringPolicy } from './version.js';
import type { LabelSelector } from './selector.js';
import type { PlannedStep } from '../drivers/types.js';

export interface ServiceAnnouncement {
  service: string;
  /** The /32 (undefined: the Service has no LoadBalancer IP). */
  prefix?: string;
  announced: boolean;
  why: string;
  /** The object asking, e.g. `CiliumBGPPeeringPolicy rack0 virtualRouters[0]`. */
  source: string;
  /** v2: the peers that get it (their peer config selects the advertisement); v2alpha1: every neighbor. */
  peers?: string[];
}

export interface NodeAnnouncements {
  node: string;
  /** Why the node runs no BGP at all, when it does not. */
  noBgp?: string;
  announcements: ServiceAnnouncement[];
  /** Requests that select no Service by construction (a nil serviceSelector, a selector-less advertisement). */
  notes: string[];
}

interface Request extends ServiceAdvertisementRequest {
  peers?: string[];
}

function requestsOf(topo: Topology, node: KubeNode): { requests: Request[]; notes: string[] } {
  const version = topo.cilium.version;
  const requests: Request[] = [];
  const notes: string[] = [];
  const sel = policySelection(topo, node);
  if (hasPeeringPolicy(version) && sel.state === 'selected') {
    const p = sel.policy;
    const dup = duplicateAsnAt(p);
    (dup >= 0 ? p.virtualRouters.slice(0, dup) : p.virtualRouters).forEach((vr, v) => {
      const source = `CiliumBGPPeeringPolicy ${p.name} virtualRouters[${v}]`;
      if (!vr.serviceSelector) return notes.push(`${source} has no serviceSelector: it advertises no Service`);
      const addresses = atLeast(version, '1.15') && vr.serviceAdvertisements?.length ? vr.serviceAdvertisements : ['LoadBalancerIP' as const];
      requests.push({ selector: vr.serviceSelector as LabelSelector, addresses: [...addresses], source });
    });
    return { requests, notes };
  }
  const [cc] = hasBgpV2Objects(version) ? clusterConfigsOf(topo, node) : [];
  if (!cc) return { requests, notes };
  const byAdvert = new Map<string, Request>();
  for (const inst of cc.bgpInstances)
    for (const peer of inst.peers) {
      const pc = peer.peerConfigRef ? topo.cilium.bgpPeerConfigs.find((x) => x.name === peer.peerConfigRef!.name) : undefined;
      for (const fam of pc?.families ?? []) {
        if (fam.afi !== 'ipv4') continue;
        for (const adv of advertisementsSelected(topo, fam.advertisements as LabelSelector | undefined))
          adv.advertisements.forEach((a, j) => {
            if (a.advertisementType !== 'Service') return;
            const source = `CiliumBGPAdvertisement ${adv.name}${adv.advertisements.length > 1 ? ` advertisements[${j}]` : ''}`;
            if (!a.selector || !a.service) {
              const note = `${source} has no ${a.selector ? 'service addresses' : 'selector'}: it advertises no Service`;
              if (!notes.includes(note)) notes.push(note);
              return;
            }
            const r = byAdvert.get(source) ?? { selector: a.selector as LabelSelector, addresses: [...a.service.addresses], source, peers: [] };
            if (!r.peers!.includes(peer.name)) r.peers!.push(peer.name);
            byAdvert.set(source, r);
          });
      }
    }
  requests.push(...byAdvert.values());
  return { requests, notes };
}

export function serviceAnnouncements(topo: Topology): NodeAnnouncements[] {
  return topo.cluster.nodes.map((node) => {
    const intent = intentOf(topo, node);
    if (intent.state !== 'configured') return { node: node.name, noBgp: intent.reason, announcements: [], notes: [] };
    const { requests, notes } = requestsOf(topo, node);
    const announcements = requests.flatMap((req) =>
      serviceDecisions(topo, node, req).map((d) => ({ service: d.service, ...(d.ip ? { prefix: `${d.ip}/32` } : {}), announced: d.announced, why: d.why, source: req.source, ...(req.peers ? { peers: req.peers } : {}) })),
    );
    return { node: node.name, announcements, notes };
  });
}

/**
 * `up --dry-run`'s steps for them: one per node (nothing runs; the lines are what its agent will
 * advertise). v2 Local: the lab models the reconciler's source, which honours it (cilium#44803
 * reports 1.19.5 ignoring it; see lab/cilium/SOURCES.md).
 */
export function serviceAnnouncementSteps(topo: Topology): PlannedStep[] {
  const hasServices = (topo.services ?? []).length > 0;
  if (!hasServices) return [];
  const v2 = !hasPeeringPolicy(topo.cilium.version) || topo.cilium.bgpClusterConfigs.length > 0;
  return serviceAnnouncements(topo).map((n) => {
    const yes = n.announcements.filter((a) => a.announced);
    const input = n.noBgp
      ? [`no BGP on this node: ${n.noBgp}`]
      : [
          ...yes.map((a) => `announce ${a.prefix} ${a.service}: ${a.why} (${a.source}${a.peers ? `, to ${a.peers.join(', ')}` : ', to every neighbor'})`),
          ...n.announcements.filter((a) => !a.announced).map((a) => `not ${a.prefix ?? ''}${a.prefix ? ' ' : ''}${a.service}: ${a.why} (${a.source})`),
          ...n.notes,
          ...(v2 && n.announcements.some((a) => /Local/.test(a.why)) ? ['externalTrafficPolicy Local is honoured as the v2 reconciler source does it (cilium#44803 reports 1.19.5 ignoring it: not modelled)'] : []),
        ];
    return { label: `Service announcements of ${n.node}: ${yes.length ? yes.map((a) => a.prefix).join(', ') : 'none'} (nothing runs: what its BGP agent will advertise, and why)`, argv: [], input };
  });
}
