import { z } from 'zod';
import { defineCommand } from './types.js';
import type { RestartResult } from './drill-results.js';
import { resolveDevice } from './names.js';

export default defineCommand({
  name: 'agent restart',
  summary: "Restart a node's BGP agent, as deleting its Cilium pod does: kill, start, configure from the policy",
  examples: ['agent restart worker3'],
  positionals: [{ name: 'node', complete: 'node' }],
  args: z.object({ node: z.string().describe('node (short names work: worker3)') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<RestartResult> {
    const started = performance.now();
    const { waitSessions } = await import('../lab/inspect/peers.js');
    const dev = resolveDevice(ctx.topology, args.node, ['node']);
    const { embeddedOnly, requireRecord, restartAgent } = await import('../lab/drivers/embedded/ops.js');
    const d = embeddedOnly(await ctx.driver());
    const rec = await requireRecord(d);
    const r = await restartAgent(d, rec, dev.name);
    // As Cilium, the node opens its sessions after GoBGP's first connect delay (5-10 s); with
    // --fast-connect the leaf reconnects within its 1 s connect timer, except to a further BGP
    // instance of the node (no listener there): that one the node opens, as in Cilium.
    const { desiredAgentOf } = await import('../lab/cilium/desired.js');
    const { nodeOpenedSessions } = await import('../lab/gobgp/messages.js');
    const intent = desiredAgentOf(rec.topology, dev.name);
    const nodeOpens = intent?.state === 'configured' ? nodeOpenedSessions([intent.agent], rec.connectMode ?? 'cilium').length : 0;
    const timeoutMs = rec.connectMode === 'fast-connect' && !nodeOpens ? 10_000 : 25_000;
    const sessions = r.running ? await waitSessions(d, ctx.topology, dev.name, { timeoutMs, signal: ctx.signal, progress: ctx.progress }) : undefined;
    return { device: dev.name, kind: 'node', daemons: r.running ? ['gobgpd'] : [], announced: r.announced, sessions, durationMs: performance.now() - started };
  },
});

