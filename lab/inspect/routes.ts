// What a converged fabric's routing tables hold: every pod CIDR on every router, with the
// ECMP width the topology implies (a leaf reaches a remote rack over every spine).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { Route } from '../../commands/results.js';
import { ownerOfAddress, podCidrOf, policyForNode } from '../topology/model.js';
import { parseRouteTable } from '../parsers/frr.js';

export function readRoutes(driver: Driver, topo: Topology, router: string): Promise<Route[]> {
  return driver.vtysh(router, 'show ip route json').then((json) => parseRouteTable(json, (ip) => ownerOfAddress(topo, ip)?.name));
}

/** router → prefix → expected number of next hops, for pod CIDRs announced by healthy agents. */
export function expectedPodRoutes(topo: Topology): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const peersOf = (r: string) =>
    new Set(
      topo.routers
        .find((x) => x.name === r)!
        .neighbors.map((n) => ownerOfAddress(topo, n.address))
        .filter((o) => o?.kind === 'router')
        .map((o) => o!.name),
    );
  for (const node of topo.cluster.nodes) {
    const policy = policyForNode(topo, node);
    if (!policy?.virtualRouters[0]?.exportPodCIDR) continue;
    const leaf = topo.racks.find((r) => r.name === node.rack)!.leaf;
    const cidr = podCidrOf(topo, node);
    const leafPeers = peersOf(leaf);
    for (const r of topo.routers) {
      let width: number;
      if (r.name === leaf) width = 1;
      else if (leafPeers.has(r.name)) width = 1; // a spine: straight from the leaf
      else width = [...peersOf(r.name)].filter((p) => leafPeers.has(p)).length; // another leaf: over every common spine
      if (!width) continue;
      if (!out.has(r.name)) out.set(r.name, new Map());
      out.get(r.name)!.set(cidr, width);
    }
  }
  return out;
}

/** Differences between a router's table and what the topology expects; empty when converged. */
export function routeGaps(router: string, routes: Route[], expected: Map<string, number>): string[] {
  const gaps: string[] = [];
  for (const [prefix, width] of expected) {
    const r = routes.find((x) => x.prefix === prefix && x.selected);
    const hops = r?.nexthops.filter((n) => n.active && n.fib).length ?? 0;
    if (!r) gaps.push(`${router} has no route to ${prefix}`);
    else if (hops < width) gaps.push(`${router} reaches ${prefix} over ${hops} of ${width} paths`);
  }
  return gaps;
}

