import { z } from 'zod';
import { defineCommand } from './types.js';
import type { LinkResult } from './drill-results.js';
import { resolveDevice, resolveInterfaces } from './names.js';
import { UsageError } from '../lab/errors.js';

export default defineCommand({
  name: 'link',
  summary: "Set a router's or node's interface up or down (optionally its MTU)",
  examples: ['link leaf0 eth1 down', 'link leaf0 eth1 up', 'link spine0 eth1 up --mtu 1500'],
  positionals: [{ name: 'device', complete: 'device' }, { name: 'iface', complete: 'interface' }, { name: 'state', complete: { values: ['up', 'down'] } }],
  args: z.object({
    device: z.string().describe('router or node'),
    iface: z.string().describe('interface (eth1, net0, …)'),
    state: z.enum(['up', 'down']).describe('up or down'),
    mtu: z.coerce.number().int().min(576).max(9500).optional().describe('also set the MTU'),
  }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  async handler(args, ctx): Promise<LinkResult> {
    const dev = resolveDevice(ctx.topology, args.device, ['router', 'node']);
    if (dev.kind === 'router') resolveInterfaces(ctx.topology, dev.name, args.iface);
    else {
      const nic = ctx.topology.cluster.nodes.find((n) => n.name === dev.name)!.interface;
      if (args.iface !== nic) throw new UsageError(`${dev.name} has no interface ${args.iface}`, `its fabric interface is ${nic}`);
    }
    const { embeddedOnly, flushPathMtu, linkInfo, setLink } = await import('../lab/drivers/embedded/ops.js');
    const d = embeddedOnly(await ctx.driver());
    const before = args.mtu ? (await linkInfo(d, dev.name, args.iface)).mtu : undefined;
    const r = await setLink(d, dev.name, args.iface, args.state, args.mtu);
    // A raised MTU helps only once senders forget the smaller path MTU they learned meanwhile.
    const flushed = args.mtu && before !== undefined && args.mtu > before ? await flushPathMtu(d, ctx.topology, (await d.record())?.podsPerNode) : undefined;
    return { ...r, flushedPathMtuPods: flushed };
  },
});
