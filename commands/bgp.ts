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
    'bgp leaf0 --ipv6',
    'bgp leaf0 --neighbor 10.1.10.2 --advertised',
    'bgp leaf0 --neighbor 10.1.10.2 --received',
    'bgp cilium-bgp-worker2 --advertised',
  ],
  positionals: [{ name: 'router', complete: 'device' }],
  args: z.object({
    router: z.string().describe('spine0, leaf0, … (or a node, with --neighbor/--advertised/--received)'),
    prefix: z.string().max(43).regex(/^([\d.]+|[0-9a-fA-F:]+)\/\d{1,3}$/, 'expected a prefix like 10.98.2.0/24 (or fd00:98:0:2::/64 with --ipv6)').optional().describe('only this prefix'),
    neighbor: z.string().regex(ipv4, 'expected a neighbor address like 10.1.10.2').optional().describe("one neighbor's routes (with --advertised or --received)"),
    advertised: z.boolean().default(false).describe('the routes sent to --neighbor (FRR advertised-routes; a node: `cilium bgp routes advertised`)'),
    received: z.boolean().default(false).describe('the routes accepted from --neighbor (FRR `neighbors IP routes`; a node: `cilium bgp routes available`)'),
    ipv6: z.boolean().default(false).describe("dual stack: a router's IPv6 unicast table (`show bgp ipv6 unicast`)"),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<BgpResult | BgpRoutesResult> {
    const dev = resolveDevice(ctx.topology, args.router, ['router', 'node']);
    if (args.advertised && args.received) throw new UsageError('give --advertised or --received, not both', `e.g. \`bgp ${dev.name} --neighbor … --advertised\``);
    const perNeighbor = Boolean(args.neighbor || args.advertised || args.received);
    // Dual stack: the IPv6 table of a router; the prefix must be of the family asked for.
    const { isV6, isValidIp6 } = await import('../lab/topology/ip.js');
    if (args.ipv6) {
      (await import('../lab/inspect/check6.js')).requireIpv6(ctx.topology, 'bgp');
      if (dev.kind === 'node' || perNeighbor) throw new UsageError('bgp --ipv6 shows a router\'s IPv6 table; per-neighbor and node views are IPv4', `e.g. \`bgp leaf0 --ipv6\`; the node's IPv6 session: \`peers\``);
    }
    if (args.prefix && (isV6(args.prefix) !== args.ipv6 || (isV6(args.prefix) && !isValidIp6(args.prefix.split('/')[0]!))))
      throw new UsageError(`--prefix ${args.prefix} is not an ${args.ipv6 ? 'IPv6' : 'IPv4'} prefix`, args.ipv6 ? 'e.g. --prefix fd00:98:0:2::/64' : 'IPv6 prefixes need --ipv6');
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
      driver.vtysh(dev.name, `show bgp ${args.ipv6 ? 'ipv6' : 'ipv4'} unicast${args.prefix ? ` ${args.prefix}` : ''} json`),
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
