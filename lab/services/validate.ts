// Semantic checks of pools, Services, workloads and the client, on top of their schema: names
// once, pool fields as the version spells them, pods that fit a node's free addresses, a client
// whose gateways are spine interfaces on its subnet.
import type { Topology } from '../topology/schema.js';
import type { TopologyIssue } from '../topology/validate.js';
import { contains, networkOf } from '../topology/ip.js';
import { versionAtLeast } from '../cilium/version.js';
import { WORKLOAD_HOSTS, eligibleNodes, servicesOf, workloadPods, workloadsOf } from './endpoints.js';

export function validateServices(topo: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const v = topo.cilium.version;
  const once = (list: { name: string }[], what: string, base: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.name)) add(`${base}[${i}].name`, `duplicate ${what} "${x.name}"; give each a unique name`);
      seen.add(x.name);
    });
  };
  const pools = topo.lbIPPools ?? [];
  once(pools, 'pool', 'lbIPPools');
  pools.forEach((p, i) => {
    // 1.14's CRD has only `cidrs`; `blocks` arrived in 1.15 and `cidrs` is gone from the 1.18 CRD.
    if (p.blocks && !versionAtLeast(v, 1, 15)) add(`lbIPPools[${i}].blocks`, `Cilium ${v} spells the ranges \`cidrs\`; \`blocks\` exists from 1.15`);
    if (p.cidrs && versionAtLeast(v, 1, 18)) add(`lbIPPools[${i}].cidrs`, `Cilium ${v} has no \`cidrs\` (removed); use \`blocks\``);
  });
  const services = servicesOf(topo);
  once(services.map((s) => ({ name: `${s.namespace}/${s.name}` })), 'Service', 'services');
  const workloads = workloadsOf(topo);
  once(workloads, 'workload', 'workloads');
  const devices = new Set([...topo.routers.map((r) => r.name), ...topo.cluster.nodes.map((n) => n.name), ...topo.racks.map((r) => r.bridge)]);
  workloads.forEach((w, i) => {
    if (w.replicas > 0 && !eligibleNodes(topo, w).length) add(`workloads[${i}].nodeSelector`, `no node matches; the pods of ${w.name} would stay Pending`);
  });
  const pods = workloadPods(topo);
  const perNode = new Map<string, number>();
  for (const p of pods) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
  const wanted = workloads.reduce((n, w) => n + (eligibleNodes(topo, w).length ? w.replicas : 0), 0);
  if (pods.length < wanted) add('workloads', `more than ${WORKLOAD_HOSTS.length} workload pods on one node (${[...perNode].map(([n, c]) => `${n}: ${c}`).join(', ')}); spread them with a wider nodeSelector or fewer replicas`);
  for (const p of pods) if (devices.has(p.name)) add('workloads', `pod ${p.name} has the name of a device; rename the workload`);
  const c = topo.client;
  if (c) {
    for (const [field, value] of [['name', c.name], ['bridge', c.bridge]] as const) if (devices.has(value)) add(`client.${field}`, `"${value}" is already a device or bridge name`);
    if (!contains(c.subnet, c.address)) add('client.address', `${c.address} is not in ${c.subnet}`);
    c.gateways.forEach((g, i) => {
      const r = topo.routers.find((x) => x.name === g.router);
      const itf = r?.interfaces.find((x) => x.name === g.interface);
      if (!r) add(`client.gateways[${i}].router`, `no router "${g.router}"`);
      else if (!itf) add(`client.gateways[${i}].interface`, `${g.router} has no interface ${g.interface}; add it under the router's interfaces`);
      else if (networkOf(itf.address) !== networkOf(c.subnet)) add(`client.gateways[${i}].interface`, `${g.router} ${g.interface} (${itf.address}) is not on ${c.subnet}`);
      if (topo.links.some((l) => l.endpoints.includes(`${g.router}:${g.interface}`))) add(`client.gateways[${i}].interface`, `${g.router}:${g.interface} is also in links; the client LAN owns it`);
    });
  }
  return issues;
}
