import { z } from 'zod';
import { defineCommand } from './types.js';
import type { TraceResult } from './results.js';
import { resolvePod } from './names.js';

export default defineCommand({
  name: 'trace',
  summary: 'The hop-by-hop path from one pod to another, with router names',
  examples: ['trace app-control-plane app-worker2'],
  positionals: [
    { name: 'from', complete: 'pod' },
    { name: 'to', complete: 'pod' },
  ],
  args: z.object({ from: z.string().describe('source pod'), to: z.string().describe('destination pod') }),
  permission: 'read',
  async handler(args, ctx): Promise<TraceResult> {
    const driver = await ctx.driver();
    const podsPerNode = (await driver.record())?.podsPerNode;
    const from = resolvePod(ctx.topology, args.from, podsPerNode);
    const to = resolvePod(ctx.topology, args.to, podsPerNode);
    const r = await driver.exec(from.name, ['traceroute', '-n', '-q', '1', '-w', '1', '-m', '12', to.ip], { signal: ctx.signal, timeoutMs: 20_000 });
    const { ownerOfAddress } = await import('../lab/topology/model.js');
    const hops = r.stdout
      .split('\n')
      .slice(1)
      .map((line) => /^\s*(\d+)\s+(\S+)(?:\s+([\d.]+) ms)?/.exec(line))
      .filter((m): m is RegExpExecArray => Boolean(m))
      .map((m) => ({
        hop: Number(m[1]),
        ip: m[2]!,
        // The first hop answers from the pod's gateway (link-local, like Cilium's cilium_host): the pod's node.
        device: m[2] === '*' ? undefined : ownerOfAddress(ctx.topology, m[2]!)?.name ?? (m[1] === '1' && m[2]!.startsWith('169.254.') ? from.node : undefined),
        rttMs: m[3] ? Number(m[3]) : undefined,
      }));
    return { ok: hops.at(-1)?.ip === to.ip, from: from.name, to: to.name, toIp: to.ip, hops };
  },
});
