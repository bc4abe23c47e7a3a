import { z } from 'zod';
import { defineCommand } from './types.js';
import type { RoutesResult } from './results.js';
import { resolveDevice } from './names.js';
import { UsageError } from '../lab/errors.js';

export default defineCommand({
  name: 'routes',
  summary: "A router's routing table (as vtysh shows it), or what a node advertises and routes",
  examples: ['routes leaf0', 'routes leaf0 --ipv6', 'routes leaf0 --protocol bgp', 'routes leaf0 --prefix 10.98.2.0/24', 'routes leaf0 --prefix 10.98.0.0/16 --longer', 'routes leaf0 --raw', 'routes worker2'],
  positionals: [{ name: 'device', complete: 'device' }],
  args: z.object({
    device: z.string().describe('router (spine0, leaf0, …) or node'),
    prefix: z.string().max(43).regex(/^([\d.]+|[0-9a-fA-F:]+)(\/\d{1,3})?$/, 'expected a prefix like 10.98.2.0/24 (or fd00:98:0:2::/64 with --ipv6)').optional().describe('only routes for this prefix (longest match)'),
    protocol: z.enum(['bgp', 'connected', 'kernel', 'static']).optional().describe('only routes of this protocol'),
    longer: z.boolean().default(false).describe('with --prefix: every route inside it (FRR longer-prefixes), not the longest match'),
    raw: z.boolean().default(false).describe("also the router's own `show ip route` text"),
    ipv6: z.boolean().default(false).describe("dual stack: the router's IPv6 table (`show ipv6 route`)"),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<RoutesResult> {
    const dev = resolveDevice(ctx.topology, args.device, ['router', 'node']);
    // Dual stack: the prefix is of the family asked for, so FRR's command gets a checked address.
    const { isV6, isValidIp6 } = await import('../lab/topology/ip.js');
    if (args.ipv6) {
      const { requireIpv6 } = await import('../lab/inspect/check6.js');
      requireIpv6(ctx.topology, 'routes');
      if (dev.kind !== 'router') throw new UsageError(`routes --ipv6 reads a router's table; ${dev.name} is a node`, 'e.g. `routes leaf0 --ipv6`; a node\'s IPv6 advertisements: `bgp ' + dev.name + '`');
    }
    if (args.prefix && isV6(args.prefix) !== args.ipv6)
      throw new UsageError(args.ipv6 ? `--prefix ${args.prefix} is not IPv6` : `--prefix ${args.prefix} is IPv6`, args.ipv6 ? 'e.g. --prefix fd00:98:0:2::/64' : 'add --ipv6');
    if (args.prefix && isV6(args.prefix) && (!isValidIp6(args.prefix.split('/')[0]!) || Number(args.prefix.split('/')[1] ?? 128) > 128))
      throw new UsageError(`--prefix ${args.prefix} is not an IPv6 prefix`, 'e.g. --prefix fd00:98:0:2::/64');
    if (args.longer && !args.prefix?.includes('/')) throw new UsageError('--longer needs --prefix with a length', 'e.g. `routes leaf0 --prefix 10.98.0.0/16 --longer`');
    const driver = await ctx.driver();
    const { ownerOfAddress } = await import('../lab/topology/model.js');
    const deviceOf = (ip: string) => ownerOfAddress(ctx.topology, ip)?.name;
    if (dev.kind === 'router') {
      const { parseRouteTable } = await import('../lab/parsers/frr.js');
      // FRR takes a protocol or a prefix, and `longer-prefixes` only after a prefix.
      const ip = args.ipv6 ? 'ipv6' : 'ip';
      const cmd = args.longer ? `show ${ip} route ${args.prefix} longer-prefixes` : `show ${ip} route${args.protocol ? ` ${args.protocol}` : ''}${args.prefix ? ` ${args.prefix}` : ''}`;
      const [json, raw] = await Promise.all([driver.vtysh(dev.name, `${cmd} json`), args.raw ? driver.vtysh(dev.name, cmd) : undefined]);
      let routes = parseRouteTable(json, deviceOf);
      if (args.ipv6) routes = (await import('../lab/inspect/ipv6.js')).nameLinkLocals(ctx.topology, dev.name, routes);
      if (args.protocol) routes = routes.filter((r) => r.protocol === args.protocol);
      return { router: dev.name, kind: 'router', routes, raw };
    }
    const { nodeRoutes } = await import('../lab/inspect/node.js');
    if (!args.longer) return nodeRoutes(driver, ctx.topology, dev.name, args);
    const { prefixWithin } = await import('../lab/inspect/routes.js');
    const r = await nodeRoutes(driver, ctx.topology, dev.name, { ...args, prefix: undefined });
    return { ...r, routes: r.routes.filter((x) => prefixWithin(x.prefix, args.prefix!)) };
  },
});
