import { z } from 'zod';
import { defineCommand } from './types.js';
import type { RestartResult } from './drill-results.js';
import { resolveDevice } from './names.js';

export default defineCommand({
  name: 'router restart',
  summary: "Restart a router's FRR (zebra + bgpd) from its intended frr.conf: runtime changes are dropped",
  examples: ['router restart spine0'],
  positionals: [{ name: 'router', complete: 'router' }],
  args: z.object({ router: z.string().describe('spine0, leaf1, …') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<RestartResult> {
    const started = performance.now();
    const { waitSessions } = await import('../lab/inspect/peers.js');
    const dev = resolveDevice(ctx.topology, args.router, ['router']);
    const { embeddedOnly, requireRecord, restartRouter } = await import('../lab/drivers/embedded/ops.js');
    const d = embeddedOnly(await ctx.driver());
    await requireRecord(d);
    await restartRouter(d, dev.name);
    const sessions = await waitSessions(d, ctx.topology, dev.name, { timeoutMs: 10_000, signal: ctx.signal, progress: ctx.progress });
    return { device: dev.name, kind: 'router', daemons: ['zebra', 'bgpd'], sessions, durationMs: performance.now() - started };
  },
});

