// Small facts scenarios share: which leaf-spine link, which pod lives where, what a leaf
// routes to a prefix, whether one pod reaches another right now.
import type { Topology } from '../topology/schema.js';
import type { DrillCtx, FixVerdict } from './types.js';
import { podCidrOf, podsOf } from '../topology/model.js';
import { parseRouteTable } from '../parsers/frr.js';
import { ping } from '../inspect/ping.js';

export const spines = (t: Topology) => t.routers.filter((r) => r.role === 'spine');
export const leafNames = (t: Topology) => t.routers.filter((r) => r.role === 'leaf').map((r) => r.name);

/** The link between a leaf and a spine: both ends' interfaces. */
export function uplink(t: Topology, leaf: string, spine: string): { leafIface: string; spineIface: string } {
  for (const l of t.links) {
    const ends = l.endpoints.map((e) => e.split(':') as [string, string]);
    const a = ends.find((e) => e[0] === leaf);
    const b = ends.find((e) => e[0] === spine);
    if (a && b) return { leafIface: a[1], spineIface: b[1] };
  }
  throw new Error(`no link between ${leaf} and ${spine}`);
}

export const nodesOfRack = (t: Topology, rack: string) => t.cluster.nodes.filter((n) => n.rack === rack);
export const firstRack = (t: Topology) => t.racks[0]!;
export const lastRack = (t: Topology) => t.racks.at(-1)!;
export const podOf = (t: Topology, node: string) => podsOf(t, 1).find((p) => p.node === node)!;
export const cidrOf = (t: Topology, node: string) => podCidrOf(t, t.cluster.nodes.find((n) => n.name === node)!);

/** Active next hops of the selected route for a prefix on a router ([] when there is none). */
export async function nexthops(ctx: DrillCtx, router: string, prefix: string): Promise<string[]> {
  try {
    const routes = parseRouteTable(await ctx.d.vtysh(router, `show ip route ${prefix} json`));
    const r = routes.find((x) => x.selected && x.prefix === prefix);
    return r ? r.nexthops.filter((n) => n.active).map((n) => n.ip ?? n.interface ?? 'blackhole') : [];
  } catch {
    return [];
  }
}

export async function selectedProtocol(ctx: DrillCtx, router: string, prefix: string): Promise<string | undefined> {
  try {
    return parseRouteTable(await ctx.d.vtysh(router, `show ip route ${prefix} json`)).find((x) => x.selected && x.prefix === prefix)?.protocol;
  } catch {
    return undefined;
  }
}

/** One pod pings another (a few tries: a fix may still be converging). */
export async function reaches(ctx: DrillCtx, t: Topology, fromNode: string, toNode: string, size?: number): Promise<boolean> {
  const a = podOf(t, fromNode);
  const b = podOf(t, toNode);
  for (let i = 0; i < 3; i++) {
    if ((await ping(ctx.d, a, b, { size, timeoutS: 1 })).ok) return true;
  }
  return false;
}

/** All of `checks` must hold; the verdict names the first that does not. */
export async function verdict(checks: [string, () => Promise<boolean>][]): Promise<FixVerdict> {
  for (const [i, [what, test]] of checks.entries()) if (!(await test())) return { fixed: false, detail: `not yet: ${what}`, met: i, total: checks.length };
  return { fixed: true, detail: checks.map(([w]) => w).join('; '), met: checks.length, total: checks.length };
}
