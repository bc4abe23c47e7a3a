// What a converged fabric's routing tables hold: every pod CIDR on every router, with the
// ECMP width the topology implies (a leaf reaches a remote rack over every spine).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { BgpRouteRow, BgpRoutesResult, Route } from '../results.js';
import { ownerOfAddress, podCidrOf, policyForNode, sessionEnds } from '../topology/model.js';
import { parseAdvertisedRoutes, parseBgpTable, parseRouteTable, originCode } from '../parsers/frr.js';
import { parseGobgpPaths } from '../parsers/gobgp.js';
import { UsageError } from '../errors.js';
import { versionAtLeast } from '../cilium/version.js';
import { intentOf } from '../cilium/desired.js';

export function readRoutes(driver: Driver, topo: Topology, router: string): Promise<Route[]> {
  return driver.vtysh(router, 'show ip route json').then((json) => parseRouteTable(json, (ip) => ownerOfAddress(topo, ip)?.name));
}

/** router → prefix → expected number of next hops, for pod CIDRs announced by healthy agents. */
export function expectedPodRoutes(topo: Topology): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  // Each router's router peers, once (asked per node and router: 6,144 times at 256 nodes).
  const peers = new Map<string, Set<string>>();
  const peersOf = (r: string) => {
    let set = peers.get(r);
    if (!set) {
      set = new Set(
        topo.routers
          .find((x) => x.name === r)!
          .neighbors.map((n) => ownerOfAddress(topo, n.address))
          .filter((o) => o?.kind === 'router')
          .map((o) => o!.name),
      );
      peers.set(r, set);
    }
    return set;
  };
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


/**
 * One neighbor's routes. A router: FRR's `show bgp ipv4 unicast neighbors IP advertised-routes`
 * or `… neighbors IP routes` (what it accepted from it: needs no soft-reconfiguration inbound).
 * A node, as its agent lists them: `cilium bgp routes advertised ipv4 unicast [peer IP]` (GoBGP's
 * adj-out per neighbor) or `cilium bgp routes available ipv4 unicast` (the loc-RIB).
 */
export async function neighborRoutes(
  driver: Driver,
  topo: Topology,
  device: string,
  kind: 'router' | 'node',
  opts: { neighbor?: string; direction?: 'advertised' | 'received'; prefix?: string },
): Promise<BgpRoutesResult> {
  const neighbors = [...new Set(sessionEnds(topo).filter((e) => e.device === device).map((e) => e.peerAddress))];
  if (opts.neighbor && !neighbors.includes(opts.neighbor))
    throw new UsageError(`${device} has no neighbor ${opts.neighbor}`, `its neighbors: ${neighbors.join(', ') || 'none'}`);
  const peer = opts.neighbor ? ownerOfAddress(topo, opts.neighbor)?.name : undefined;
  const localAs = sessionEnds(topo).find((e) => e.device === device)?.localAs;
  const only = (rows: BgpRouteRow[]) => (opts.prefix ? rows.filter((r) => r.prefix === opts.prefix) : rows);
  if (kind === 'router') {
    if (!opts.neighbor) throw new UsageError(`which neighbor of ${device}?`, `add --neighbor with one of ${neighbors.join(', ')}`);
    const direction = opts.direction ?? 'received';
    const cmd = `show bgp ipv4 unicast neighbors ${opts.neighbor} ${direction === 'advertised' ? 'advertised-routes' : 'routes'}`;
    const json = await driver.vtysh(device, `${cmd} json`);
    const routes =
      direction === 'advertised'
        ? parseAdvertisedRoutes(json)
        : parseBgpTable(json).flatMap((e) =>
            e.paths.map((p) => ({ prefix: e.prefix, nexthop: p.nexthop, asPath: p.asPath, origin: originCode(p.origin), metric: p.metric, localPref: p.localPref, weight: p.weight, best: p.best })),
          );
    return { router: device, kind, direction, neighbor: opts.neighbor, peer, localAs, source: cmd, routes: only(routes) };
  }
  const cli = `${versionAtLeast(topo.cilium.version, 1, 15) ? 'cilium-dbg' : 'cilium'} bgp routes`;
  // Every BGP instance of the node (each its own gobgpd in the embedded lab), as the agent's CLI
  // lists them all: rows tagged with their instance when there are several.
  const node = topo.cluster.nodes.find((n) => n.name === device)!;
  const intent = intentOf(topo, node);
  const instances = intent.state === 'configured' ? intent.agent.instances : [];
  const tag = (i: number) => (instances.length > 1 ? { instance: instances[i]!.name, localAs: instances[i]!.localASN } : {});
  const owner = opts.neighbor ? instances.findIndex((x) => x.neighbors.some((n) => n.peerAddress === opts.neighbor)) : -1;
  // The asked neighbor's instance's AS; without one, the first instance's (rows carry their own).
  const nodeAs = owner >= 0 ? instances[owner]!.localASN : localAs;
  if (opts.direction === 'advertised') {
    const asked = instances.flatMap((inst, i) => inst.neighbors.filter((n) => !opts.neighbor || n.peerAddress === opts.neighbor).map((n) => ({ i, addr: n.peerAddress })));
    const per = await Promise.all(asked.map(async ({ i, addr }) => parseGobgpPaths(await driver.gobgp(device, ['-j', 'neighbor', addr, 'adj-out'], { instance: i })).map((r) => ({ ...r, neighbor: addr, ...tag(i) }))));
    return { router: device, kind, direction: 'advertised', neighbor: opts.neighbor, peer, localAs: nodeAs, source: `${cli} advertised ipv4 unicast${opts.neighbor ? ` peer ${opts.neighbor}` : ''}`, routes: only(per.flat()) };
  }
  // The agent has no per-peer received view: what it learned is its loc-RIB (`available`).
  // (A node with no instance still asks its agent: the driver says why there is none.)
  const ribs = await Promise.all(
    Array.from({ length: Math.max(1, instances.length) }, async (_, i) =>
      owner < 0 || owner === i ? parseGobgpPaths(await driver.gobgp(device, ['-j', 'global', 'rib'], { instance: i })).map((r) => ({ ...r, ...tag(i) })) : [],
    ),
  );
  const rows = ribs.flat().filter((r) => !opts.neighbor || r.neighbor === opts.neighbor);
  return { router: device, kind, direction: 'available', neighbor: opts.neighbor, peer, localAs: nodeAs, source: `${cli} available ipv4 unicast`, routes: only(rows) };
}

/** `10.98.2.0/24` lies within `10.98.0.0/16` (FRR's longer-prefixes: the prefix itself included). */
export function prefixWithin(prefix: string, outer: string): boolean {
  const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [a, al] = prefix.split('/');
  const [b, bl] = outer.split('/');
  const [len, outerLen] = [Number(al ?? 32), Number(bl ?? 32)];
  if (len < outerLen) return false;
  const mask = outerLen === 0 ? 0 : 2 ** 32 - 2 ** (32 - outerLen);
  const and = (x: number) => Number((BigInt(x) & BigInt(mask)).toString());
  return and(toInt(a!)) === and(toInt(b!));
}
