// The real lab's Services side, from the same model the embedded lab runs: the
// CiliumLoadBalancerIPPools (`cidrs` in 1.14, `blocks` from 1.15, as the release's CRD spells it),
// the LoadBalancer Services, the Deployments behind them (the demo image, pinned by nodeSelector),
// and the client as a containerlab linux node on a bridge with the spines' client-LAN interfaces.
import type { Topology } from '../topology/schema.js';
import { versionAtLeast } from '../cilium/version.js';
import { poolCidrs, LB_IPS_ANNOTATION } from '../services/lbipam.js';
import { servicesOf, workloadsOf } from '../services/endpoints.js';
import { parsePrefix } from '../topology/ip.js';

/** Pools, Services and Deployments for `kubectl apply`; empty when the topology has none. */
export function serviceObjects(topo: Topology, version: string): Record<string, unknown>[] {
  const blocks = versionAtLeast(version, 1, 15);
  const pools = (topo.lbIPPools ?? []).map((p) => ({
    // v2alpha1 in 1.14–1.17; cilium.io/v2 is served from 1.18 (both in the 1.18/1.19 CRDs).
    apiVersion: versionAtLeast(version, 1, 18) ? 'cilium.io/v2' : 'cilium.io/v2alpha1',
    kind: 'CiliumLoadBalancerIPPool',
    metadata: { name: p.name },
    spec: {
      [blocks ? 'blocks' : 'cidrs']: poolCidrs(p).map((cidr) => ({ cidr })),
      ...(p.serviceSelector ? { serviceSelector: p.serviceSelector } : {}),
      ...(p.disabled ? { disabled: true } : {}),
    },
  }));
  const services = servicesOf(topo).map((s) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: s.name,
      namespace: s.namespace,
      ...(Object.keys(s.labels).length ? { labels: { ...s.labels } } : {}),
      ...(s.annotations[LB_IPS_ANNOTATION] ? { annotations: { [LB_IPS_ANNOTATION]: s.annotations[LB_IPS_ANNOTATION] } } : {}),
    },
    spec: {
      type: s.type,
      ...(s.type === 'LoadBalancer' ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
      ...(s.loadBalancerIP ? { loadBalancerIP: s.loadBalancerIP } : {}),
      selector: { ...s.selector },
      ports: [{ name: 'http', port: s.port, targetPort: s.targetPort, protocol: 'TCP' }],
    },
  }));
  const deployments = workloadsOf(topo).map((w) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, labels: { ...w.labels } },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { ...w.labels } },
      template: {
        metadata: { labels: { ...w.labels } },
        spec: {
          ...(Object.keys(w.nodeSelector).length ? { nodeSelector: { ...w.nodeSelector } } : {}),
          // The demo image serves its pod's name on :80, as the embedded pods do.
          containers: [{ name: topo.demo.containerName, image: topo.demo.image, ports: [{ containerPort: 80 }] }],
        },
      },
    },
  }));
  return [...pools, ...services, ...deployments];
}

/** The client, its bridge and its links in the containerlab topology (added by clabTopology). */
export function clabClient(topo: Topology, image: string): { nodes: Record<string, Record<string, unknown>>; links: { endpoints: [string, string] }[] } {
  const c = topo.client;
  if (!c) return { nodes: {}, links: [] };
  const gws = c.gateways.map((g) => topo.routers.find((r) => r.name === g.router)!.interfaces.find((i) => i.name === g.interface)!.address.split('/')[0]!);
  const nodes = {
    [c.bridge]: { kind: 'bridge' },
    [c.name]: {
      kind: 'linux',
      image,
      exec: [`ip addr add ${c.address}/${parsePrefix(c.subnet).length} dev ${c.interface}`, `ip route replace default ${gws.map((gw) => `nexthop via ${gw}`).join(' ')}`],
    },
  };
  const links: { endpoints: [string, string] }[] = [
    { endpoints: [`${c.bridge}:${c.bridge}-p0`, `${c.name}:${c.interface}`] },
    ...c.gateways.map((g, i): { endpoints: [string, string] } => ({ endpoints: [`${g.router}:${g.interface}`, `${c.bridge}:${c.bridge}-p${i + 1}`] })),
  ];
  return { nodes, links };
}
