import { z } from 'zod';
import { defineCommand } from './types.js';
import type { BgpResult } from './results.js';
import { resolveDevice } from './names.js';

interface FrrBgpPath {
  valid?: boolean;
  bestpath?: boolean;
  multipath?: boolean;
  path?: string;
  origin?: string;
  locPrf?: number;
  peerId?: string;
  nexthops?: { ip: string }[];
}

export default defineCommand({
  name: 'bgp',
  summary: "A router's BGP: `show bgp summary` as data, and its BGP table (or one prefix)",
  examples: ['bgp leaf0', 'bgp leaf0 --prefix 10.98.2.0/24'],
  positionals: [{ name: 'router', complete: 'router' }],
  args: z.object({
    router: z.string().describe('spine0, leaf0, …'),
    prefix: z.string().regex(/^[\d.]+\/\d+$/, 'expected a prefix like 10.98.2.0/24').optional().describe('only this prefix'),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<BgpResult> {
    const dev = resolveDevice(ctx.topology, args.router, ['router']);
    const driver = await ctx.driver();
    const { parseBgpSummary } = await import('../lab/parsers/frr.js');
    const { ownerOfAddress } = await import('../lab/topology/model.js');
    const [summaryJson, tableJson] = await Promise.all([
      driver.vtysh(dev.name, 'show bgp summary json'),
      driver.vtysh(dev.name, `show bgp ipv4 unicast${args.prefix ? ` ${args.prefix}` : ''} json`),
    ]);
    const summary = parseBgpSummary(summaryJson);
    const data = JSON.parse(tableJson || '{}') as { routes?: Record<string, FrrBgpPath[]>; prefix?: string; paths?: FrrBgpPath[] };
    const entries: [string, FrrBgpPath[]][] = data.routes ? Object.entries(data.routes) : data.prefix ? [[data.prefix, data.paths ?? []]] : [];
    return {
      router: dev.name,
      localAs: summary.as,
      routerId: summary.routerId,
      peers: summary.peers.map((p) => ({ ...p, router: dev.name, kind: 'router', peer: ownerOfAddress(ctx.topology, p.peerAddress)?.name ?? p.peerAddress, expected: true })),
      table: entries.map(([prefix, paths]) => ({
        prefix,
        paths: paths.map((p) => ({
          nexthop: p.nexthops?.[0]?.ip ?? '',
          asPath: p.path ?? '',
          best: Boolean(p.bestpath),
          multipath: Boolean(p.multipath),
          valid: Boolean(p.valid),
          origin: p.origin,
          localPref: p.locPrf,
          peer: p.peerId,
        })),
      })),
    };
  },
});
