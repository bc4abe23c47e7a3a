// Small facts scenarios share: which leaf-spine link, which pod lives where, what a leaf
// routes to a prefix, whether one pod reaches another right now.
import type { Topology } from '../topology/schema.js';
import type { DrillCtx, FixVerdict } from './types.js';
import { ownerOfAddress, podCidrOf, podsOf } from '../topology/model.js';
import { readFile } from 'node:fs/promises';
import { writePrivateAsync } from '../state/dir.js';
import { stateDir } from '../paths.js';
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

/**
 * The spines first-rack → last-rack pod flows (the prober's, and check's pods' own) cross, the
 * busiest first, asked of the first leaf's kernel (`ip route get … iif`: its address hash with
 * the lab's seed). A fault placed on one of them is seen by the probes, whichever way the lab hashes.
 */
export async function proberSpines(ctx: DrillCtx, t: Topology): Promise<string[]> {
  const rack = firstRack(t);
  const count = new Map<string, number>();
  for (const a of nodesOfRack(t, rack.name)) {
    for (const b of nodesOfRack(t, lastRack(t).name)) {
      const r = await ctx.d.exec(rack.leaf, ['ip', 'route', 'get', podOf(t, b.name).ip, 'from', podOf(t, a.name).ip, 'iif', rack.leafInterface, 'ipproto', 'icmp']);
      const via = /via (\S+)/.exec(r.stdout)?.[1];
      const spine = via ? ownerOfAddress(t, via)?.name : undefined;
      if (spine) count.set(spine, (count.get(spine) ?? 0) + 1);
    }
  }
  // Ties go to the spine listed first: deterministic.
  const order = (name: string) => spines(t).findIndex((s) => s.name === name);
  return [...count].sort((x, y) => y[1] - x[1] || order(x[0]) - order(y[0])).map(([s]) => s);
}

/** One of the spines the prober crosses: the busiest, or for a random drill the one its variant picks. */
export async function crossedSpine(ctx: DrillCtx, t: Topology, variant: number | undefined): Promise<string | undefined> {
  const crossed = await proberSpines(ctx, t);
  if (!crossed.length) return undefined;
  return crossed[variant === undefined || variant < 0 ? 0 : variant % crossed.length];
}

/** The spine a random drill's variant picks (`--random` varies the link as well as the scenario). */
export const spineFor = (t: Topology, variant: number | undefined, fallback: number) => spines(t)[((variant ?? fallback) % spines(t).length + spines(t).length) % spines(t).length]!.name;

const lastFile = (lab: string) => `${stateDir()}/drills/last-random-${lab}.json`;

/** What the lab's last random drill was: the next one picks another. */
export async function lastRandom(lab: string): Promise<{ id: string; target: string } | undefined> {
  try {
    return JSON.parse(await readFile(lastFile(lab), 'utf8')) as { id: string; target: string };
  } catch {
    return undefined;
  }
}

export async function rememberRandom(lab: string, last: { id: string; target: string }): Promise<void> {
  // It names the last hidden scenario: private, like the drill state.
  await writePrivateAsync(lastFile(lab), JSON.stringify(last) + '\n');
}
