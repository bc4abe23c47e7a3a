import { z } from 'zod';
import { defineCommand } from './types.js';
import type { PeersResult } from './results.js';

export default defineCommand({
  name: 'peers',
  summary: "Every BGP session of the fabric: each node's as `cilium bgp peers` of the lab's Cilium shows it, then the routers'",
  examples: ['peers', 'peers --all'],
  positionals: [],
  args: z.object({ all: z.boolean().default(false).describe('both ends of every session, and sessions the topology does not expect') }),
  permission: 'read',
  async handler(args, ctx): Promise<PeersResult> {
    const driver = await ctx.driver();
    const { collectPeerRows, sessionRows } = await import('../lab/inspect/peers.js');
    const all = await collectPeerRows(driver, ctx.topology);
    const rows = sessionRows(ctx.topology, all);
    const established = rows.filter((r) => r.state === 'Established').length;
    const { versionAtLeast } = await import('../lab/cilium/version.js');
    const version = ctx.topology.cilium.version;
    // The agent's CLI was `cilium` up to 1.14 and `cilium-dbg` from 1.15 on; same table.
    const nodeCommand = versionAtLeast(version, 1, 15) ? 'cilium-dbg bgp peers' : 'cilium bgp peers';
    return { ok: established === rows.length, peers: args.all ? all : rows, established, expected: rows.length, nodeCommand, ciliumVersion: version };
  },
});
