// Cilium: helm values and the BGP control-plane objects for the chosen Cilium version.
// The objects are the model's own (lab/cilium/objects.ts: the same lists the agent model reads).
// Rendering for another release than the topology's (`render --cilium-version`) writes what
// that release would run: from 1.16, peering policies without v2 objects become the equivalent
// v2 resources (`policy migrate`), so the rendering is what an upgraded cluster should apply.
import type { Topology } from '../topology/schema.js';
import { hasBgpV2Objects, versionAtLeast } from '../cilium/version.js';
import { migratedTopology, modelObjects } from '../cilium/objects.js';

export { versionAtLeast };

/** Uses CiliumBGPClusterConfig & co. instead of the peering policy. */
export const usesBgpV2Objects = hasBgpV2Objects;

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

/** The objects `4-enable-bgp-peer.sh` applies for this version. */
export function ciliumBgpObjects(topo: Topology, version: string): Record<string, unknown>[] {
  const c = topo.cilium;
  const needsMigration = version !== c.version && hasBgpV2Objects(version) && c.bgpPeeringPolicies.length > 0 && c.bgpClusterConfigs.length === 0;
  return modelObjects(needsMigration ? migratedTopology(topo, version) : topo, version);
}
