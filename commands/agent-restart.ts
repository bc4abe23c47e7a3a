import { z } from 'zod';
import { defineCommand } from './types.js';
import type { RestartResult } from './drill-results.js';
import { resolveDevice } from './names.js';

export default defineCommand({
  name: 'agent restart',
  summary: "Restart a node's BGP agent, as deleting its Cilium pod does: stop, start from the policy, re-announce",
  examples: ['agent restart worker3'],
  positionals: [{ name: 'node', complete: 'node' }],
  args: z.object({ node: z.string().describe('node (short names work: worker3)') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<RestartResult> {
    const started = performance.now();
    const dev = resolveDevice(ctx.topology, args.node, ['node']);
    const { embeddedOnly, requireRecord, restartAgent } = await import('../lab/drivers/embedded/ops.js');
    const d = embeddedOnly(await ctx.driver());
    const r = await restartAgent(d, await requireRecord(d), dev.name);
    return { device: dev.name, kind: 'node', daemons: r.running ? ['gobgpd'] : [], announced: r.announced, durationMs: performance.now() - started };
  },
});
