import { z } from 'zod';
import { defineCommand } from './types.js';
import type { TraceResult } from './results.js';
import { resolvePod } from './names.js';

export default defineCommand({
  name: 'trace',
  summary: 'The hop-by-hop path from one pod to another, with router names',
  examples: ['trace app-control-plane app-worker2', 'trace app-control-plane app-worker2 --udp'],
  positionals: [
    { name: 'from', complete: 'pod' },
    { name: 'to', complete: 'pod' },
  ],
  args: z.object({
    from: z.string().describe('source pod'),
    to: z.string().describe('destination pod'),
    udp: z.boolean().default(false).describe("trace with UDP probes (routers hash on addresses: same path as ping's)"),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<TraceResult> {
    const driver = await ctx.driver();
    const podsPerNode = (await driver.record())?.podsPerNode;
    const from = resolvePod(ctx.topology, args.from, podsPerNode);
    const to = resolvePod(ctx.topology, args.to, podsPerNode);
    const { parseTraceroute, mergeTraces } = await import('../lab/parsers/traceroute.js');
    // ICMP echo probes (-I) by default. The fabric hashes ECMP on addresses only (policy 0, as the
    // real lab), so every probe takes the path `check`'s pings take between these two pods; --udp
    // (fixed ports, Paris-traceroute style) takes that same path too. One probe at a time (-N 1):
    // none is sent past the destination, whose ICMP rate limit would leave the last hop silent.
    const sport = 33000 + Math.floor(Math.random() * 28000);
    // -U keeps the destination port fixed (53 unless -p): said explicitly, so the result can show it.
    const dport = 53;
    const method = args.udp ? ['-U', `--sport=${sport}`, '-p', String(dport)] : ['-I'];
    const argv = ['traceroute', '-n', ...method, '-N', '1', '-q', '1', '-w', '1', '-m', '12', to.ip];
    const run = async () => parseTraceroute((await driver.exec(from.name, argv, { signal: ctx.signal, timeoutMs: 20_000 })).stdout);
    let raw = await run();
    // Linux limits ICMP errors to a burst of 6, then 1/s, per peer: a hop that was just asked
    // may stay silent. One more pass a second later, on the same flow, fills those hops.
    if (raw.some((h) => h.ip === '*') && !ctx.signal.aborted) {
      await new Promise((r) => setTimeout(r, 1000));
      raw = mergeTraces(raw, await run());
    }
    ctx.signal.throwIfAborted();
    const { ownerOfAddress } = await import('../lab/topology/model.js');
    const reached = raw.at(-1)?.ip === to.ip;
    // Unanswered hops after the last answer are not path: the renderer says "no answer" instead.
    const lastAnswer = raw.map((h) => h.ip !== '*').lastIndexOf(true);
    const hops = raw.slice(0, lastAnswer + 1).map((h) => ({
      ...h,
      // The first hop answers from the pod's gateway (link-local, like Cilium's cilium_host): the pod's node.
      device: h.ip === '*' ? undefined : ownerOfAddress(ctx.topology, h.ip)?.name ?? (h.hop === 1 && h.ip.startsWith('169.254.') ? from.node : undefined),
    }));
    const probe = args.udp ? { protocol: 'udp' as const, sourcePort: sport, destPort: dport } : { protocol: 'icmp' as const };
    return { ok: reached, from: from.name, to: to.name, toIp: to.ip, hops, probe };
  },
});
