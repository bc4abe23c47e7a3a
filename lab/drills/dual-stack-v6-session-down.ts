// Dual stack: a leaf's IPv6 session to one node is shut down (a leftover `neighbor … shutdown`
// in its running config) while the node's IPv4 session is up. IPv4 `check` passes; IPv6 to the
// node's pods fails, because its IPv6 pod CIDR is no longer advertised. Only on a topology with
// IPv6 (cilium-bgp-dual); elsewhere `drill start` refuses it.
import { defineScenario, type DrillCtx } from './types.js';
import { lastRack, nodesOfRack, podOf, verdict } from './util.js';
import { vtyshConfig } from '../drivers/embedded/ops.js';
import { hasIpv6, podCidr6Of } from '../topology/model.js';
import type { Topology } from '../topology/schema.js';
import { readRoutes6 } from '../inspect/ipv6.js';
import { UsageError } from '../errors.js';

/** The far leaf holds the IPv6 pod CIDR, and one pod answers another over IPv6 (a few tries). */
async function routes6(ctx: DrillCtx, t: Topology, router: string, prefix: string): Promise<boolean> {
  const r = (await readRoutes6(ctx.d, t, router).catch(() => [])).find((x) => x.prefix === prefix && x.selected);
  return Boolean(r?.nexthops.some((n) => n.active));
}
async function reaches6(ctx: DrillCtx, t: Topology, fromNode: string, toNode: string): Promise<boolean> {
  const [a, b] = [podOf(t, fromNode), podOf(t, toNode)];
  for (let i = 0; i < 3; i++) {
    const r = await ctx.d.exec(a.name, ['ping', '-6', '-n', '-c', '1', '-W', '1', '-I', a.ip6!, '--', b.ip6!]);
    if (r.exitCode === 0) return true;
  }
  return false;
}

export default defineScenario({
  id: 'dual-stack-v6-session-down',
  title: "One node's IPv6 session is down while IPv4 is fine (dual stack)",
  target: (t) => {
    if (!hasIpv6(t)) throw new UsageError(`drill dual-stack-v6-session-down needs a dual-stack topology; ${t.name} has no IPv6`, 'bring the lab up with `--topology cilium-bgp-dual`');
    const rack = lastRack(t);
    const node = nodesOfRack(t, rack.name).find((n) => n.ip6 && podCidr6Of(t, n));
    if (!node) throw new UsageError(`drill dual-stack-v6-session-down needs a node with ip6 in ${rack.name}`, 'use `--topology cilium-bgp-dual`');
    const leaf = t.routers.find((r) => r.name === rack.leaf)!;
    return { leaf: leaf.name, asn: leaf.asn, node: node.name, neighbor: node.ip6!, prefix: podCidr6Of(t, node)!, rack: rack.name, far: t.racks[0]!.leaf, from: nodesOfRack(t, t.racks[0]!.name)[0]!.name };
  },
  page: (f) => `[WARNING] IPv6 requests to pods on ${f.node} time out; IPv4 to the same pods works.`,
  hints: (f) => [
    '`check` and `check --ipv6`: which family fails, and toward which pods?',
    `\`peers\`: are both of ${f.node}'s sessions with ${f.leaf} (IPv4 and IPv6) Established? \`routes ${f.far} --ipv6 --prefix ${f.prefix}\`.`,
    `${f.leaf}'s running config shuts its IPv6 neighbor ${f.neighbor} down (not in its intended frr.conf): \`router restart ${f.leaf}\`.`,
  ],
  cause: (f) => `${f.leaf} had \`neighbor ${f.neighbor} shutdown\` in its running config: ${f.node}'s IPv6 session stayed down, so ${f.prefix} was never advertised while its IPv4 session carried ${f.node}'s IPv4 pod CIDR as before.`,
  fix: (f) => [`router restart ${f.leaf}`],
  async inject(ctx, f) {
    await vtyshConfig(ctx.d, f.leaf, [`router bgp ${f.asn}`, `neighbor ${f.neighbor} shutdown`]);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`${f.far} routes ${f.prefix}`, () => routes6(ctx, t, f.far, String(f.prefix))],
      [`${f.from} reaches ${f.node} over IPv6`, () => reaches6(ctx, t, f.from, f.node)],
    ]);
  },
  async restore(ctx, f) {
    await vtyshConfig(ctx.d, f.leaf, [`router bgp ${f.asn}`, `no neighbor ${f.neighbor} shutdown`]).catch(() => {});
  },
});
