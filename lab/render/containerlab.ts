// containerlab topology in the seed's shape: VyOS routers booting the rendered config.boot,
// one Linux bridge per rack, and one server per kind node sharing that node's network
// namespace so the node gets its business NIC (net0) on the rack bridge.
import { stringify } from 'yaml';
import type { Topology } from '../topology/schema.js';
import { parsePrefix } from '../topology/ip.js';
import { clabClient } from './services.js';

/** The seed's helper image for the server containers (ip, ping, curl). */
export const SERVER_IMAGE = 'burlyluo/nettool';

export const bootConfigPath = (router: string) => `startup-conf/${router}-boot.cfg`;

export interface ClabTopology {
  name: string;
  topology: { nodes: Record<string, Record<string, unknown>>; links: { endpoints: [string, string] }[] };
}

export function clabTopology(topo: Topology): ClabTopology {
  const nodes: Record<string, Record<string, unknown>> = {};
  for (const r of topo.routers) {
    nodes[r.name] = {
      kind: 'linux',
      image: r.image,
      cmd: '/sbin/init',
      binds: ['/lib/modules:/lib/modules', `./${bootConfigPath(r.name)}:/opt/vyatta/etc/config/config.boot`],
    };
  }
  for (const rack of topo.racks) nodes[rack.bridge] = { kind: 'bridge' };
  for (const n of topo.cluster.nodes) {
    const rack = topo.racks.find((r) => r.name === n.rack)!;
    nodes[n.server] = {
      kind: 'linux',
      image: SERVER_IMAGE,
      'network-mode': `container:${n.name}`,
      exec: [
        `ip addr add ${n.ip}/${parsePrefix(rack.subnet).length} dev ${n.interface}`,
        `ip route replace default via ${rack.gateway}`,
        // Dual stack: the node's IPv6 on the rack LAN and its IPv6 default route.
        ...(n.ip6 && rack.subnet6 && rack.gateway6 ? [`ip -6 addr add ${n.ip6}/${rack.subnet6.split('/')[1]} dev ${n.interface}`, `ip -6 route replace default via ${rack.gateway6}`] : []),
      ],
    };
  }

  // Seed order: every rack's server ports first, then per leaf its uplinks and its rack port.
  const links: ClabTopology['topology']['links'] = [];
  const port = new Map<string, number>();
  const bridgePort = (bridge: string) => {
    const n = port.get(bridge) ?? 0;
    port.set(bridge, n + 1);
    return `${bridge}:${bridge}-net${n}`;
  };
  for (const rack of topo.racks)
    for (const n of topo.cluster.nodes.filter((x) => x.rack === rack.name))
      links.push({ endpoints: [bridgePort(rack.bridge), `${n.server}:${n.interface}`] });
  const used = new Set<number>();
  for (const leaf of topo.routers.filter((r) => r.role === 'leaf')) {
    topo.links.forEach((l, i) => {
      if (l.endpoints.some((e) => e.split(':')[0] === leaf.name) && !used.has(i)) {
        used.add(i);
        links.push({ endpoints: [...l.endpoints] });
      }
    });
    for (const rack of topo.racks.filter((r) => r.leaf === leaf.name))
      links.push({ endpoints: [`${leaf.name}:${rack.leafInterface}`, bridgePort(rack.bridge)] });
  }
  topo.links.forEach((l, i) => used.has(i) || links.push({ endpoints: [...l.endpoints] }));
  const client = clabClient(topo, SERVER_IMAGE); // the external client (cilium-bgp-lb), if any
  Object.assign(nodes, client.nodes), links.push(...client.links);
  return { name: topo.name, topology: { nodes, links } };
}

export function renderClab(topo: Topology): string {
  return stringify(clabTopology(topo), { lineWidth: 0 });
}
