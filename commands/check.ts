import { z } from 'zod';
import { defineCommand } from './types.js';
import type { CheckResult, PingResult } from './results.js';
import { resolveDevice, resolveInterfaces, resolvePod } from './names.js';
import { UsageError } from '../lab/errors.js';

export default defineCommand({
  name: 'check',
  summary: "The seed's verification as a matrix: every pod pings every pod (optionally HTTP and NodePort)",
  examples: ['check', 'check --http --nodeport', 'check --from app-control-plane --to app-worker2', 'check --capture leaf0:eth1,eth2'],
  positionals: [],
  args: z.object({
    from: z.string().optional().describe('only from this pod'),
    to: z.string().optional().describe('only to this pod'),
    http: z.boolean().default(false).describe('also HTTP GET each pod on port 80'),
    nodeport: z.boolean().default(false).describe('also HTTP to NodePort on every node'),
    size: z.coerce.number().int().min(0).max(65000).optional().describe('ping payload bytes, do-not-fragment (MTU checks)'),
    capture: z.string().regex(/^[a-z0-9-]+:[a-z0-9,._-]+$/, 'expected router:iface[,iface], e.g. leaf0:eth1,eth2').optional().describe('capture on router:ifaces during the check'),
    wait: z.coerce.number().min(0).max(120).default(3).describe('seconds to retry failing pairs before reporting them'),
  }),
  permission: 'read',
  flagCompletions: { from: 'pod', to: 'pod' },
  long: true,
  async handler(args, ctx): Promise<CheckResult> {
    const started = performance.now();
    const driver = await ctx.driver();
    const rec = await driver.record();
    const podsPerNode = rec?.podsPerNode;
    const { podsOf } = await import('../lab/topology/model.js');
    const pods = podsOf(ctx.topology, podsPerNode);
    const from = args.from ? [resolvePod(ctx.topology, args.from, podsPerNode)] : pods;
    const to = args.to ? [resolvePod(ctx.topology, args.to, podsPerNode)] : pods;
    let capture: import('../lab/inspect/capture.js').RunningCapture | undefined;
    if (args.capture) {
      const [router, ifaces] = args.capture.split(':') as [string, string];
      const r = resolveDevice(ctx.topology, router, ['router']);
      const [{ startCapture }, { ownerOfAddress }] = await Promise.all([import('../lab/inspect/capture.js'), import('../lab/topology/model.js')]);
      const nameOf = (ip: string) => ownerOfAddress(ctx.topology, ip)?.name;
      capture = startCapture(driver, r.name, resolveInterfaces(ctx.topology, r.name, ifaces), { count: 1000, seconds: 30, signal: ctx.signal, nameOf });
      await capture.ready;
    }
    if (!rec) throw new UsageError(`lab ${ctx.lab} is not up`, 'run `bgp-lab up`');
    const { ping, pingMany, httpGet } = await import('../lab/inspect/ping.js');
    type Probe = () => Promise<PingResult>;
    const probes: Probe[] = [];
    // By name: --from/--to resolve to new objects, and a pod does not probe itself.
    const other = (a: { name: string }, b: { name: string }) => a.name !== b.name;
    for (const a of from) for (const b of to) if (other(a, b)) probes.push(() => ping(driver, a, b, { size: args.size, signal: ctx.signal }));
    const pings = probes.length;
    if (args.http) for (const a of from) for (const b of to) if (other(a, b)) probes.push(() => httpGet(driver, a, b, 'http', ctx.signal));
    if (args.nodeport) {
      const client = from[0]!;
      for (const n of ctx.topology.cluster.nodes) probes.push(() => httpGet(driver, client, { name: n.name, ip: n.ip, port: ctx.topology.demo.service.nodePort }, 'nodeport', ctx.signal));
    }
    ctx.progress({ type: 'step', id: 'probe', label: `${probes.length} probes`, state: 'running' });
    // First round: each source pings all its targets in one process; retries go pair by pair.
    const sweep = (await Promise.all(from.map((a) => pingMany(driver, a, to.filter((b) => other(a, b)), { size: args.size, signal: ctx.signal })))).flat();
    const results = [...sweep, ...(await Promise.all(probes.slice(pings).map((p) => p())))];
    // Wait and retry failing probes until the deadline: a fabric converging is not a failure.
    const deadline = Date.now() + args.wait * 1000;
    const attempts = results.map(() => 1);
    while (results.some((r) => !r.ok) && Date.now() < deadline && !ctx.signal.aborted) {
      await new Promise((r) => setTimeout(r, 250));
      const failing = results.map((r, i) => [r, i] as const).filter(([r]) => !r.ok);
      const again = await Promise.all(failing.map(([, i]) => probes[i]!()));
      failing.forEach(([, i], k) => {
        results[i] = again[k]!;
        attempts[i]!++;
      });
    }
    // Passing only on a retry is convergence, or loss: reported, not hidden.
    attempts.forEach((n, i) => n > 1 && (results[i]!.attempts = n));
    ctx.signal.throwIfAborted();
    const failed = results.filter((r) => !r.ok);
    if (failed.length) {
      const { collectPeerRows } = await import('../lab/inspect/peers.js');
      const { Diagnoser } = await import('../lab/inspect/diagnose.js');
      const dx = new Diagnoser(driver, ctx.topology, await collectPeerRows(driver, ctx.topology));
      for (const r of failed) {
        const a = pods.find((p) => p.name === r.from)!;
        const b = pods.find((p) => p.name === r.to);
        r.diagnosis = b ? await dx.explain(a, b) : `NodePort ${r.toIp}:${ctx.topology.demo.service.nodePort} did not answer`;
      }
    }
    ctx.progress({ type: 'step', id: 'probe', label: `${probes.length} probes`, state: failed.length ? 'fail' : 'ok', elapsedMs: performance.now() - started });
    return {
      ok: failed.length === 0,
      pods: pods.map((p) => p.name),
      results,
      passed: results.length - failed.length,
      failed: failed.length,
      durationMs: performance.now() - started,
      capture: capture ? await capture.stop() : undefined,
    };
  },
});
