// The IPv6 half of a dual-stack fabric as the routers hold it: `show ipv6 route json`, and every
// node's IPv6 pod CIDR on every router with the ECMP width the IPv6 sessions imply (the same
// rule as the IPv4 one in routes.ts, over the IPv6 neighbors).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { Route } from '../results.js';
import { isV6 } from '../topology/ip.js';
import { hasIpv6, ownerOfAddress } from '../topology/model.js';
import { configuredAgents } from '../cilium/desired.js';
import { parseRouteTable } from '../parsers/frr.js';
import { routeGaps } from './routes.js';

export function readRoutes6(driver: Driver, topo: Topology, router: string): Promise<Route[]> {
  return driver.vtysh(router, 'show ipv6 route json').then((json) => nameLinkLocals(topo, router, parseRouteTable(json, (ip) => ownerOfAddress(topo, ip)?.name)));
}

/** FRR's IPv6 next hops are the neighbors' link-local addresses: named by the link they are on. */
export function nameLinkLocals(topo: Topology, router: string, routes: Route[]): Route[] {
  for (const r of routes)
    for (const n of r.nexthops) {
      if (n.device || !n.ip?.startsWith('fe80:') || !n.interface) continue;
      const link = topo.links.find((l) => l.endpoints.includes(`${router}:${n.interface}`));
      n.device = link?.endpoints.find((e) => e !== `${router}:${n.interface}`)?.split(':')[0];
    }
  return routes;
}

/** router → IPv6 pod CIDR → expected next hops, for the IPv6 pod CIDRs healthy agents advertise. */
export function expectedPodRoutes6(topo: Topology): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const peersOf = (r: string) =>
    new Set(
      (topo.routers.find((x) => x.name === r)?.neighbors ?? [])
        .filter((n) => isV6(n.address))
        .map((n) => ownerOfAddress(topo, n.address))
        .filter((o) => o?.kind === 'router')
        .map((o) => o!.name),
    );
  for (const agent of configuredAgents(topo)) {
    const node = topo.cluster.nodes.find((n) => n.name === agent.node)!;
    const leaf = topo.racks.find((r) => r.name === node.rack)?.leaf;
    // Advertised only over an IPv6 session to the leaf: the leaf activates ipv6-unicast there alone
    // (the node's instance that has that session, whichever of its BGP instances it is).
    const inst = agent.instances.find((i) => i.neighbors.some((n) => isV6(n.peerAddress) && ownerOfAddress(topo, n.peerAddress)?.name === leaf));
    if (!leaf || !inst) continue;
    const leafPeers = peersOf(leaf);
    for (const p of inst.paths.filter((x) => x.family === 'ipv6-unicast' && x.reason === 'PodCIDR')) {
      for (const r of topo.routers) {
        const width = r.name === leaf || leafPeers.has(r.name) ? 1 : [...peersOf(r.name)].filter((x) => leafPeers.has(x)).length;
        if (!width) continue;
        if (!out.has(r.name)) out.set(r.name, new Map());
        out.get(r.name)!.set(p.prefix, width);
      }
    }
  }
  return out;
}

/** What the routers' IPv6 tables lack against the topology; empty when converged (or no IPv6). */
export async function ipv6RouteGaps(driver: Driver, topo: Topology): Promise<string[]> {
  if (!hasIpv6(topo)) return [];
  const expected = expectedPodRoutes6(topo);
  const tables = await Promise.all([...expected].map(async ([r, want]) => routeGaps(r, await readRoutes6(driver, topo, r).catch(() => []), want)));
  return tables.flat();
}
