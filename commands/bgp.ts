import { z } from 'zod';
import { defineCommand } from './types.js';
import type { BgpResult, BgpRoutesResult } from './results.js';
import { resolveDevice } from './names.js';
import { UsageError } from '../lab/errors.js';

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export default defineCommand({
  name: 'bgp',
  summary: "A router's BGP: `show bgp summary` and its BGP table (or one prefix); per neighbor, the routes advertised to it or received from it (for a node, `cilium bgp routes`)",
  examples: [
    'bgp leaf0',
    'bgp leaf0 --prefix 10.98.2.0/24',
    'bgp leaf0 --neighbor 10.1.10.2 --advertised',
    'bgp leaf0 --neighbor 10.1.10.2 --received',
    'bgp cilium-bgp-worker2 --advertised',
  ],
  positionals: [{ name: 'router', complete: 'device' }],
  args: z.object({
    router: z.string().describe('spine0, leaf0, … (or a node, with --neighbor/--advertised/--received)'),
    prefix: z.string().regex(/^[\d.]+\/\d+$/, 'expected a prefix like 10.98.2.0/24').optional().describe('only this prefix'),
    neighbor: z.string().regex(ipv4, 'expected a neighbor address like 10.1.10.2').optional().describe("one neighbor's routes (with --advertised or --received)"),
    advertised: z.boolean().default(false).describe('the routes sent to --neighbor (FRR advertised-routes; a node: `cilium bgp routes advertised`)'),
    received: z.boolean().default(false).describe('the routes accepted from --neighbor (FRR `neighbors IP routes`; a node: `cilium bgp routes available`)'),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<BgpResult | BgpRoutesResult> {
    const dev = resolveDevice(ctx.topology, args.router, ['router', 'node']);
    if (args.advertised && args.received) throw new UsageError('give --advertised or --received, not both', `e.g. \`bgp ${dev.name} --neighbor … --advertised\``);
    const perNeighbor = Boolean(args.neighbor || args.advertised || args.received);
    if (dev.kind === 'node' || perNeighbor) {
      const { neighborRoutes } = await import('../lab/inspect/routes.js');
      const driver = await ctx.driver();
      return neighborRoutes(driver, ctx.topology, dev.name, dev.kind as 'router' | 'node', {
        neighbor: args.neighbor,
        direction: args.advertised ? 'advertised' : args.received ? 'received' : undefined,
        prefix: args.prefix,
      });
    }
    const driver = await ctx.driver();
    const { parseBgpSummary, parseBgpTable } = await import('../lab/parsers/frr.js');
    const { ownerOfAddress } = await import('../lab/topology/model.js');
    const [summaryJson, tableJson] = await Promise.all([
      driver.vtysh(dev.name, 'show bgp summary json'),
      driver.vtysh(dev.name, `show bgp ipv4 unicast${args.prefix ? ` ${args.prefix}` : ''} json`),
    ]);
    const summary = parseBgpSummary(summaryJson);
    return {
      router: dev.name,
      localAs: summary.as,
      routerId: summary.routerId,
      peers: summary.peers.map((p) => ({ ...p, router: dev.name, kind: 'router', peer: ownerOfAddress(ctx.topology, p.peerAddress)?.name ?? p.peerAddress, expected: true })),
      table: parseBgpTable(tableJson),
    };
  },
});
