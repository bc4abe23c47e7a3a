// Service advertisement (LB-IPAM): which service addresses a node announces for a selector.
// Interim stub: the lab has no Services yet; the LoadBalancer work fills it in.
import type { KubeNode, Topology } from '../topology/schema.js';
import type { DesiredPath } from './desired.js';
import type { LabelSelector } from './selector.js';

export type ServiceAddressType = 'LoadBalancerIP' | 'ClusterIP' | 'ExternalIP';

export interface ServiceAdvertisementRequest {
  /** Services selected (undefined: none — a nil v2alpha1 serviceSelector advertises nothing). */
  selector: LabelSelector | undefined;
  addresses: ServiceAddressType[];
  /** The object asking, e.g. `CiliumBGPPeeringPolicy rack0` or `CiliumBGPAdvertisement lb`. */
  source: string;
}

/** The /32s this node announces for the request: Cluster from every node, Local only with a ready local endpoint. */
export function servicePaths(_topo: Topology, _node: KubeNode, _req: ServiceAdvertisementRequest): DesiredPath[] {
  return [];
}
