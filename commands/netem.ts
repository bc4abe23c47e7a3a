import { z } from 'zod';
import { defineCommand } from './types.js';
import type { NetemResult } from './drill-results.js';
import { resolveDevice, resolveInterfaces } from './names.js';
import { UsageError } from '../lab/errors.js';

export default defineCommand({
  name: 'netem',
  summary: "Add delay and loss on a router interface (tc netem), or clear it",
  examples: ['netem leaf0 eth1 --loss 5', 'netem leaf0 eth1 --clear'],
  positionals: [{ name: 'router', complete: 'router' }, { name: 'iface', complete: 'interface' }],
  args: z.object({
    router: z.string().describe('router'),
    iface: z.string().describe('interface'),
    delay: z.coerce.number().min(0).max(10_000).optional().describe('added delay, ms'),
    loss: z.coerce.number().min(0).max(100).optional().describe('random loss, %'),
    clear: z.boolean().default(false).describe('remove the netem qdisc'),
  }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  async handler(args, ctx): Promise<NetemResult> {
    const dev = resolveDevice(ctx.topology, args.router, ['router']);
    resolveInterfaces(ctx.topology, dev.name, args.iface);
    if (!args.clear && !args.delay && !args.loss) throw new UsageError('netem needs --delay, --loss or --clear', 'e.g. `netem spine1 eth2 --delay 50 --loss 5`');
    const { embeddedOnly, setNetem } = await import('../lab/drivers/embedded/ops.js');
    const qdisc = await setNetem(embeddedOnly(await ctx.driver()), dev.name, args.iface, args.clear ? 'clear' : { delayMs: args.delay, lossPct: args.loss });
    return { router: dev.name, iface: args.iface, qdisc };
  },
});
