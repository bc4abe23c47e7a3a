// Why a pod cannot reach another: walk the path the fabric should take and name the first
// hop that lacks a route, and the session behind it. Reads routers through FRR JSON.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { PeerRow, Route } from '../results.js';
import { findNode, podCidrOf, policyForNode, type Pod } from '../topology/model.js';
import { readRoutes } from './routes.js';
import { contains } from '../topology/ip.js';

export class Diagnoser {
  private tables = new Map<string, Promise<Route[]>>();
  constructor(
    private readonly driver: Driver,
    private readonly topo: Topology,
    private readonly peers: PeerRow[],
  ) {}

  private routes(router: string): Promise<Route[]> {
    let t = this.tables.get(router);
    if (!t) {
      t = readRoutes(this.driver, this.topo, router).catch(() => []);
      this.tables.set(router, t);
    }
    return t;
  }

  private sessionState(a: string, b: string): string | undefined {
    return this.peers.find((p) => p.router === a && p.peer === b)?.state;
  }

  private async lookup(router: string, ip: string): Promise<Route | undefined> {
    const routes = (await this.routes(router)).filter((r) => r.selected && contains(r.prefix, ip));
    return routes.sort((x, y) => Number(y.prefix.split('/')[1]) - Number(x.prefix.split('/')[1]))[0];
  }

  async explain(from: Pod, to: Pod): Promise<string> {
    const t = this.topo;
    const src = findNode(t, from.node)!;
    const dst = findNode(t, to.node)!;
    const srcLeaf = t.racks.find((r) => r.name === src.rack)!.leaf;
    const dstLeaf = t.racks.find((r) => r.name === dst.rack)!.leaf;
    const cidr = podCidrOf(t, dst);
    const dstPolicy = policyForNode(t, dst);
    const why = () => {
      const s = this.sessionState(dst.name, dstLeaf);
      if (!dstPolicy) return `${dst.name} is selected by no CiliumBGPPeeringPolicy, so nothing advertises ${cidr}`;
      if (s !== 'Established') return `${dst.name}'s BGP session to ${dstLeaf} is ${s ?? 'Down'}, so ${cidr} is not advertised`;
      return `${dstLeaf} does not learn ${cidr} from ${dst.name} (exportPodCIDR off, or the agent withdrew it)`;
    };
    if (from.node === to.node) return `${from.node} itself does not deliver to ${to.name}`;
    const leafRoute = await this.lookup(srcLeaf, to.ip);
    if (!leafRoute || leafRoute.protocol === 'connected') {
      if (srcLeaf === dstLeaf) return `${srcLeaf} has no route to ${cidr}: ${why()}`;
      const dstLeafRoute = await this.lookup(dstLeaf, to.ip);
      if (!dstLeafRoute) return `${srcLeaf} has no route to ${cidr}: ${why()}`;
      const spineSessions = t.routers
        .filter((r) => r.role === 'spine')
        .map((s) => `${srcLeaf}↔${s.name} ${this.sessionState(srcLeaf, s.name) ?? 'Down'}, ${dstLeaf}↔${s.name} ${this.sessionState(dstLeaf, s.name) ?? 'Down'}`);
      return `${srcLeaf} has no route to ${cidr} though ${dstLeaf} has one: spine sessions ${spineSessions.join('; ')}`;
    }
    if (leafRoute.nexthops.length === 0 || leafRoute.protocol === 'static' && !leafRoute.nexthops.some((n) => n.ip))
      return `${srcLeaf} routes ${leafRoute.prefix} to ${leafRoute.nexthops[0]?.interface ?? 'nowhere'} (a ${leafRoute.protocol} route): traffic is dropped there`;
    const back = await this.lookup(dstLeaf, from.ip);
    if (!back) return `${dstLeaf} has no route back to ${from.podCIDR}: replies cannot return`;
    return `routes are in place (${srcLeaf} → ${leafRoute.nexthops.map((n) => n.device ?? n.ip).join(', ')}): packets are lost on the path — check links, MTU and loss (\`capture\`, \`trace\`)`;
  }
}
