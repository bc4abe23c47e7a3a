import { z } from 'zod';
import { defineCommand } from './types.js';
import type { CaptureResult } from './results.js';
import { resolveDevice, resolveInterfaces } from './names.js';

export default defineCommand({
  name: 'capture',
  summary: "tcpdump on a router's interfaces, bounded by count and time, packets parsed per interface",
  examples: ['capture leaf0 eth1,eth2 --seconds 5', 'capture leaf0 eth1 --filter icmp --count 20'],
  positionals: [
    { name: 'router', complete: 'router' },
    { name: 'interfaces', complete: 'interface' },
  ],
  args: z.object({
    router: z.string().describe('spine0, leaf0, …'),
    interfaces: z.string().describe('one or more interfaces, comma-separated: eth1,eth2'),
    count: z.coerce.number().int().min(1).max(10000).default(100).describe('stop after this many packets per interface'),
    seconds: z.coerce.number().int().min(1).max(600).default(10).describe('stop after this long'),
    filter: z.string().regex(/^[a-z0-9 .:/!()&|<>=-]*$/i, 'a tcpdump filter such as "icmp" or "tcp port 179"').optional().describe('tcpdump filter expression'),
  }),
  permission: 'read',
  long: true,
  cancel: 'partial',
  async handler(args, ctx): Promise<CaptureResult> {
    const r = resolveDevice(ctx.topology, args.router, ['router']);
    const ifaces = resolveInterfaces(ctx.topology, r.name, args.interfaces);
    const driver = await ctx.driver();
    const [{ startCapture }, { ownerOfAddress }] = await Promise.all([import('../lab/inspect/capture.js'), import('../lab/topology/model.js')]);
    const nameOf = (ip: string) => ownerOfAddress(ctx.topology, ip)?.name;
    ctx.progress({ type: 'step', id: 'capture', label: `Capturing on ${r.name} ${ifaces.join(',')} (${args.seconds} s or ${args.count} packets)`, state: 'running' });
    const started = performance.now();
    const result = await startCapture(driver, r.name, ifaces, { count: args.count, seconds: args.seconds, filter: args.filter, signal: ctx.signal, nameOf }).done;
    ctx.progress({ type: 'step', id: 'capture', label: `Captured ${result.packets.length} packets`, state: 'ok', elapsedMs: performance.now() - started });
    return result;
  },
});
