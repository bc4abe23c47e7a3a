// Service advertisement: which service addresses a node announces for a selector, as Cilium's
// agent does it (v1.14 pkg/bgpv1/manager/reconcile.go, LBServiceReconciler):
// - a nil serviceSelector advertises no service; an empty one `{}` every Service;
// - only Services that have a LoadBalancer ingress IP (LB-IPAM gave one), one /32 per IP;
// - externalTrafficPolicy Cluster: from every node the request covers; Local: only from a node
//   with a ready local endpoint (hasLocalEndpoints), so the last local endpoint going withdraws it.
// The v2 CiliumBGPAdvertisement (advertisementType Service, addresses ClusterIP/ExternalIP) uses
// the same request; the lab's Services have LoadBalancer IPs only, so other types yield nothing.
import type { KubeNode, Topology } from '../topology/schema.js';
import type { Service } from '../topology/services-schema.js';
import type { DesiredPath } from './desired.js';
import { selectorMatches, type LabelSelector } from './selector.js';
import { lbIpam, serviceKey, type LbIpam } from '../services/lbipam.js';
import { endpointsOf, servicesOf } from '../services/endpoints.js';

export type ServiceAddressType = 'LoadBalancerIP' | 'ClusterIP' | 'ExternalIP';

export interface ServiceAdvertisementRequest {
  /** Services selected (undefined: none — a nil v2alpha1 serviceSelector advertises nothing). */
  selector: LabelSelector | undefined;
  addresses: ServiceAddressType[];
  /** The object asking, e.g. `CiliumBGPPeeringPolicy rack0` or `CiliumBGPAdvertisement lb`. */
  source: string;
}

/** Why a node does or does not announce one Service for one request: explain's chain reads these. */
export interface ServiceDecision {
  service: string;
  ip?: string;
  announced: boolean;
  why: string;
}

/** The labels a service selector sees: the Service's own plus its name and namespace (reconcilerv2/service.go serviceLabelSet; 1.14 the same). */
export function serviceLabels(svc: Service): Record<string, string> {
  return { ...svc.labels, 'io.kubernetes.service.name': svc.name, 'io.kubernetes.service.namespace': svc.namespace };
}

/** Per Service, whether this node announces it for the request and why (the same rules as servicePaths). */
export function serviceDecisions(topo: Topology, node: KubeNode, req: ServiceAdvertisementRequest, ipam: LbIpam = lbIpam(topo)): ServiceDecision[] {
  return servicesOf(topo).map((svc) => decide(topo, node, req, svc, ipam));
}

function decide(topo: Topology, node: KubeNode, req: ServiceAdvertisementRequest, svc: Service, ipam: LbIpam): ServiceDecision {
  const key = serviceKey(svc);
  const alloc = ipam.allocations.get(key);
  const no = (why: string): ServiceDecision => ({ service: key, ip: alloc?.ip, announced: false, why });
  if (!req.selector) return no(`${req.source} has no serviceSelector: it advertises no Service`);
  if (!selectorMatches(req.selector, serviceLabels(svc))) return no(`${req.source} serviceSelector does not match the Service's labels`);
  if (!req.addresses.includes('LoadBalancerIP')) return no(`${req.source} advertises ${req.addresses.join(', ') || 'no address types'}, not LoadBalancerIP`);
  if (svc.type !== 'LoadBalancer') return no(`type ${svc.type}: no LoadBalancer IP`);
  if (!alloc?.ip) return no(`no LoadBalancer IP (${alloc?.condition?.reason ?? 'not allocated'})`);
  if (svc.externalTrafficPolicy === 'Local' && !endpointsOf(topo, svc).some((e) => e.node === node.name))
    return no('externalTrafficPolicy Local and no ready local endpoint on this node');
  return { service: key, ip: alloc.ip, announced: true, why: svc.externalTrafficPolicy === 'Local' ? 'externalTrafficPolicy Local, a ready local endpoint' : 'externalTrafficPolicy Cluster' };
}

/** The /32s this node announces for the request: Cluster from every node, Local only with a ready local endpoint. */
export function servicePaths(topo: Topology, node: KubeNode, req: ServiceAdvertisementRequest): DesiredPath[] {
  return serviceDecisions(topo, node, req)
    .filter((d) => d.announced)
    .map((d) => ({ prefix: `${d.ip}/32`, family: 'ipv4-unicast' as const, nexthop: node.ip, origin: 'igp' as const, reason: `Service ${d.service} LoadBalancerIP`, source: req.source }));
}
