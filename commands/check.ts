import { z } from 'zod';
import { defineCommand } from './types.js';
import type { CheckResult, PathCoverage, PathProbe, PingResult } from './results.js';
import { resolveDevice, resolveInterfaces, resolvePod } from './names.js';
import { UsageError } from '../lab/errors.js';

export default defineCommand({
  name: 'check',
  summary: "The seed's verification as a matrix: every pod pings every pod over every ECMP path (optionally HTTP and NodePort)",
  examples: ['check', 'check --ipv6', 'check --size 1400', 'check --count 10 --tolerate-loss 5', 'check --http --nodeport', 'check --from app-control-plane --to app-worker2', 'check --capture leaf0:eth1,eth2'],
  positionals: [],
  args: z.object({
    from: z.string().optional().describe('only from this pod'),
    to: z.string().optional().describe('only to this pod'),
    http: z.boolean().default(false).describe('also HTTP GET each pod on port 80'),
    nodeport: z.boolean().default(false).describe('also HTTP to NodePort on every node'),
    size: z.coerce.number().int().min(0).max(65000).optional().describe('ping payload bytes, do-not-fragment (MTU checks)'),
    count: z.coerce.number().int().min(1).max(100).default(3).describe('pings per path (each ECMP member, each direction)'),
    tolerateLoss: z.coerce.number().min(0).max(100).default(0).describe('percent of first-round loss a pair may have and still pass'),
    capture: z.string().regex(/^[a-z0-9-]+:[a-z0-9,._-]+$/, 'expected router:iface[,iface], e.g. leaf0:eth1,eth2').optional().describe('capture on router:ifaces during the check'),
    wait: z.coerce.number().min(0).max(120).default(3).describe('seconds to retry failing paths, to tell loss from a dead path'),
    service: z.string().max(80).regex(/^[A-Za-z0-9./-]+$/, 'a Service name or its IP').optional().describe('with --from client: HTTP to this Service (name or IP)'),
    requests: z.coerce.number().int().min(1).max(64).default(8).describe('with --service: HTTP requests to make'),
    ipv6: z.boolean().default(false).describe('dual stack: every pod pings every pod over IPv6 (fping -6)'),
  }),
  permission: 'read',
  flagCompletions: { from: 'pod', to: 'pod', capture: 'router:interfaces' },
  long: true,
  cancel: 'partial',
  async handler(args, ctx): Promise<CheckResult> {
    const started = performance.now();
    if (args.ipv6) {
      // Dual stack (lab/inspect/check6.ts): pod-to-pod over IPv6; the IPv4-only options do not apply.
      const { checkIpv6, requireIpv6 } = await import('../lab/inspect/check6.js');
      requireIpv6(ctx.topology, 'check');
      const other = (['http', 'nodeport', 'size', 'capture', 'service'] as const).find((k) => args[k] !== undefined && args[k] !== false);
      if (other) throw new UsageError(`check --ipv6 does not take --${other}`, 'run `check` (IPv4) for it');
      const driver = await ctx.driver();
      const rec = await driver.record();
      if (!rec) throw new UsageError(`lab ${ctx.lab} is not up`, 'run `bgp-lab up`');
      const pick = (n?: string) => (n ? resolvePod(ctx.topology, n, rec.podsPerNode) : undefined);
      return checkIpv6(driver, ctx.topology, rec.podsPerNode, { from: pick(args.from), to: pick(args.to), count: args.count, tolerateLoss: args.tolerateLoss, wait: args.wait }, ctx.signal);
    }
    if (args.service || (args.from && args.from === ctx.topology.client?.name)) return (await import('./check-service.js')).checkServiceCommand(args, ctx, started);
    const unlessStopped = (err: unknown): undefined => {
      if (!ctx.signal.aborted) throw err;
      return undefined;
    };
    const driver = await ctx.driver();
    const rec = await driver.record();
    const podsPerNode = rec?.podsPerNode;
    const { podsOf } = await import('../lab/topology/model.js');
    const topo = ctx.topology;
    const pods = podsOf(topo, podsPerNode);
    const from = args.from ? [resolvePod(topo, args.from, podsPerNode)] : pods;
    const to = args.to ? [resolvePod(topo, args.to, podsPerNode)] : pods;
    // By name: --from/--to resolve to new objects, and a pod does not probe itself.
    const pairs = from.flatMap((a) => to.filter((b) => b.name !== a.name).map((b) => [a, b] as [typeof a, typeof b]));
    if (!pairs.length && !args.nodeport)
      throw new UsageError(`nothing to probe: ${from.length === 1 && to.length === 1 ? `${from[0]!.name} is both source and destination, and a pod does not probe itself` : 'no pod pair'}`, 'give two different pods (`check --from A --to B`), or neither');
    if (!rec) throw new UsageError(`lab ${ctx.lab} is not up`, 'run `bgp-lab up`');
    let capture: import('../lab/inspect/capture.js').RunningCapture | undefined;
    if (args.capture) {
      const [router, ifaces] = args.capture.split(':') as [string, string];
      const r = resolveDevice(topo, router, ['router']);
      const [{ startCapture }, { ownerOfAddress }] = await Promise.all([import('../lab/inspect/capture.js'), import('../lab/topology/model.js')]);
      const nameOf = (ip: string) => ownerOfAddress(topo, ip)?.name;
      capture = startCapture(driver, r.name, resolveInterfaces(topo, r.name, ifaces), { count: 1000, seconds: 30, signal: ctx.signal, nameOf });
      await capture.ready;
    }
    const { ping, fpingFrom, httpGet } = await import('../lab/inspect/ping.js');
    const paths = await import('../lab/inspect/paths.js');
    const embedded = driver.name === 'embedded';
    ctx.progress({ type: 'step', id: 'paths', label: `ECMP members of ${pairs.length} pairs`, state: 'running' });
    // Probe addresses exist on labs brought up by this version; an older lab gets its pods' own flows only.
    const withProbes = embedded && pairs.length > 0 && (await driver.exec(pairs[0]![0].name, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout.includes(` ${paths.probeAddressesOf(pairs[0]![0]).at(-1)}/32`);
    const plans: import('../lab/inspect/paths.js').PairPaths[] = embedded ? await paths.planPaths(driver, topo, pairs, withProbes, ctx.signal, paths.coverageFor(pairs.length)) : pairs.map(([a, b]) => ({ from: a, to: b, fwd: [], rev: [], flows: [{ src: a.ip, dst: b.ip, main: true }], uncovered: [], tried: 1 }));
    const flowCount = plans.reduce((n, p) => n + p.flows.length, 0);
    ctx.progress({ type: 'step', id: 'paths', label: `ECMP members of ${pairs.length} pairs: ${flowCount} flows`, state: 'ok', elapsedMs: performance.now() - started });
    const label = `${flowCount} flows × ${args.count} pings${args.http ? `, ${pairs.length} HTTP` : ''}${args.nodeport ? `, ${topo.cluster.nodes.length} NodePort` : ''}`;
    ctx.progress({ type: 'step', id: 'probe', label, state: 'running' });

    // First round, the one the verdict counts: every flow `count` times, marked so the leaves count it.
    const before = embedded ? await paths.readPathCounters(driver, topo) : new Map<string, number>();
    type Got = { sent: number; received: number; rttMs?: number };
    const got = new Map<string, Got>(); // `${pod} ${src} ${dst}`
    const key = (pod: string, src: string, dst: string) => `${pod} ${src} ${dst}`;
    const tos = paths.PROBE_TOS;
    if (embedded) {
      // A path MTU a pod learned earlier (10 minutes) would refuse big probes before they leave:
      // forget it, so each --size probe tests the path as it is now.
      if (args.size) {
        const { flushPathMtu, embeddedOnly } = await import('../lab/drivers/embedded/ops.js');
        await flushPathMtu(embeddedOnly(driver), topo, podsPerNode);
      }
      // One fping per source address of a pod: a process per flow made large sweeps slow.
      const groups = new Map<string, { pod: string; src: string; dsts: string[] }>();
      for (const p of plans) for (const f of p.flows) {
        const g = groups.get(`${p.from.name} ${f.src}`) ?? { pod: p.from.name, src: f.src, dsts: [] };
        g.dsts.push(f.dst);
        groups.set(`${p.from.name} ${f.src}`, g);
      }
      await Promise.all([...groups.values()].map(async (g) => {
        const r = await fpingFrom(driver, g.pod, g.src, g.dsts, { count: args.count, size: args.size, tos, signal: ctx.signal }).catch(unlessStopped);
        // An fping Ctrl-C killed printed nothing: that is not a measurement of loss.
        if (ctx.signal.aborted) return;
        for (const [dst, v] of r ?? []) got.set(key(g.pod, g.src, dst), v);
      }));
    } else {
      await Promise.all(plans.flatMap((p) => p.flows.map(async (f) => {
        const r = await ping(driver, p.from, p.to, { size: args.size, count: args.count, signal: ctx.signal }).catch(unlessStopped);
        if (r && !ctx.signal.aborted) got.set(key(p.from.name, f.src, f.dst), { sent: r.sent ?? args.count, received: r.received ?? 0, rttMs: r.rttMs });
      })));
    }
    const after = embedded ? await paths.readPathCounters(driver, topo) : new Map<string, number>();
    const extras = (await Promise.all([
      ...(args.http ? pairs.map(([a, b]) => httpGet(driver, a, b, 'http', ctx.signal)) : []),
      ...(args.nodeport && from[0] ? topo.cluster.nodes.map((n) => httpGet(driver, from[0]!, { name: n.name, ip: n.ip, port: topo.demo.service.nodePort }, 'nodeport', ctx.signal)) : []),
    ].map((p) => p.then((x) => (ctx.signal.aborted ? undefined : x), unlessStopped)))).filter((x) => x !== undefined);
    // Ctrl-C (cancel policy 'partial'): the pairs measured so far are the result, marked cancelled.
    const stopped = ctx.signal.aborted;
    const measured = stopped ? plans.filter((p) => p.flows.every((f) => got.has(key(p.from.name, f.src, f.dst)))) : plans;

    const lossPct = (sent: number, received: number) => (sent ? (100 * (sent - received)) / sent : 0);
    const results: PingResult[] = measured.map((p) => {
      const probes: PathProbe[] = p.flows.map((f) => {
        const g = got.get(key(p.from.name, f.src, f.dst)) ?? { sent: args.count, received: 0 };
        return { src: f.src, dst: f.dst, via: f.fwd && paths.memberLabel(f.fwd), back: f.rev && paths.memberLabel(f.rev), sent: g.sent, received: g.received };
      });
      const sent = probes.reduce((n, x) => n + x.sent, 0);
      const received = probes.reduce((n, x) => n + x.received, 0);
      const main = got.get(key(p.from.name, p.from.ip, p.to.ip));
      return {
        from: p.from.name, to: p.to.name, toIp: p.to.ip, kind: 'ping', sent, received, rttMs: main?.rttMs,
        ok: received > 0 && lossPct(sent, received) <= args.tolerateLoss,
        paths: embedded ? probes : undefined,
      };
    });
    for (const x of extras) results.push({ ...x, sent: 1, received: x.ok ? 1 : 0 });

    // Retries do not change the verdict: they tell a path that loses packets from one that is dead.
    const deadline = Date.now() + args.wait * 1000;
    const lossy = results.flatMap((r, i) => {
      if (r.ok && r.received === r.sent) return [];
      if (r.kind !== 'ping') return [{ i, attempt: 1, answered: false, retry: () => (r.kind === 'http' ? httpGet(driver, pods.find((p) => p.name === r.from)!, { name: r.to, ip: r.toIp }, 'http', ctx.signal) : httpGet(driver, from[0]!, { name: r.to, ip: r.toIp, port: topo.demo.service.nodePort }, 'nodeport', ctx.signal)) }];
      const p = measured[i]!;
      return (r.paths ?? [{ src: p.from.ip, dst: p.to.ip, sent: r.sent!, received: r.received! }])
        .filter((f) => f.received < f.sent)
        // The pods' own flow is retried without -I: bound to an address, ping does not print the kernel's send error.
        .sort((x, y) => Number(y.src === p.from.ip) - Number(x.src === p.from.ip))
        .map((f) => ({ i, attempt: 1, answered: false, flow: f, retry: () => ping(driver, p.from, p.to, { size: args.size, src: embedded && f.src !== p.from.ip ? f.src : undefined, dst: f.dst, tos: embedded ? tos : undefined, timeoutS: 0.5, signal: ctx.signal }) }));
    });
    const localErrors = new Map<number, string>();
    while (lossy.some((l) => !l.answered) && !ctx.signal.aborted) {
      const open = lossy.filter((l) => !l.answered);
      const again = await Promise.all(open.map((l) => l.retry()));
      open.forEach((l, k) => {
        l.attempt++;
        const a = again[k]! as PingResult & { localError?: string };
        if (a.ok) l.answered = true;
        if (a.localError) localErrors.set(l.i, a.localError);
      });
      if (Date.now() >= deadline || open.every((l) => localErrors.has(l.i))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const byPair = new Map<number, typeof lossy>();
    for (const l of lossy) byPair.set(l.i, [...(byPair.get(l.i) ?? []), l]);
    for (const [i, ls] of byPair) {
      const r = results[i]!;
      // Every lossy flow answered a retry: losing packets (or converging), not cut off.
      if (ls.every((l) => l.answered)) r.attempts = Math.max(...ls.map((l) => l.attempt));
      if (localErrors.has(i)) r.localError = localErrors.get(i);
    }

    const coverage = embedded && !ctx.signal.aborted ? verifyCoverage(plans, results, before, after, paths.memberLabel) : undefined;
    if (coverage && plans.some((p) => p.uncovered.some((u) => u !== 'crossed'))) coverage.notes.push(...(await kernelGaps(driver, plans)));
    const failed = results.filter((r) => !r.ok);
    if (failed.length && !ctx.signal.aborted) {
      const { explainFailures } = await import('../lab/inspect/explain.js');
      await explainFailures(driver, topo, plans, results, { size: args.size, signal: ctx.signal });
    }
    const sent = results.reduce((n, r) => n + (r.sent ?? 1), 0);
    const received = results.reduce((n, r) => n + (r.received ?? (r.ok ? 1 : 0)), 0);
    const ok = !ctx.signal.aborted && failed.length === 0 && (coverage?.verified ?? true) && !coverage?.notes.some((n) => n.startsWith('uncovered'));
    ctx.progress({ type: 'step', id: 'probe', label, state: ok ? 'ok' : 'fail', elapsedMs: performance.now() - started });
    return {
      ok,
      pods: pods.map((p) => p.name),
      results,
      passed: results.length - failed.length,
      failed: failed.length,
      durationMs: performance.now() - started,
      sent,
      received,
      lossPct: Math.round(lossPct(sent, received) * 10) / 10,
      tolerateLossPct: args.tolerateLoss || undefined,
      count: args.count,
      coverage,
      capture: capture ? await capture.stop() : undefined,
      cancelled: ctx.signal.aborted || undefined,
    };
  },
});

/** The chance that `tried` address pairs all miss one of `width` equally likely members: ((w-1)/w)^n. */
function missOdds(width: number, tried: number): string {
  const p = width > 1 ? ((width - 1) / width) ** tried : 0;
  return p >= 0.01 ? `${(p * 100).toFixed(1)} %` : `${p.toExponential(0)}; more likely the member cannot carry a flow: a weighted or broken next hop`;
}

/**
 * Every member a flow was planned over must have carried its probes: for the flows that were
 * fully answered, the leaves' counters (requests leaving the source leaf, replies leaving the
 * destination leaf) must have grown by at least what was sent.
 */
function verifyCoverage(
  plans: import('../lab/inspect/paths.js').PairPaths[],
  results: PingResult[],
  before: Map<string, number>,
  after: Map<string, number>,
  label: (m: import('../lab/inspect/paths.js').Member) => string,
): PathCoverage {
  const notes: string[] = [];
  let members = 0;
  let covered = 0;
  const expected = new Map<string, number>();
  // Coverage per leaf pair (a large fabric): a member counts as probed when any pair of its group carried a flow over it.
  const byGroup = new Map<string, Set<string | undefined>>();
  const flowsOf = (p: (typeof plans)[number]) => p.flows.flatMap((f) => [f.fwd && `fwd ${label(f.fwd)}`, f.rev && `rev ${label(f.rev)}`]);
  for (const p of plans) if (p.group) byGroup.set(p.group, new Set([...(byGroup.get(p.group) ?? []), ...flowsOf(p)]));
  if (byGroup.size) notes.push(`paths planned per leaf pair (${plans.length} pairs, too many to plan one by one): every pair's own flow, and every ECMP member both ways for each of ${byGroup.size} leaf-pair groups`);
  plans.forEach((p, i) => {
    members += p.fwd.length + p.rev.length;
    const planned = p.group ? byGroup.get(p.group)! : new Set(flowsOf(p));
    covered += [...p.fwd.map((m) => `fwd ${label(m)}`), ...p.rev.map((m) => `rev ${label(m)}`)].filter((m) => planned.has(m)).length;
    for (const u of p.uncovered) if (u !== 'crossed') notes.push(`uncovered: ${p.from.name} → ${p.to.name} ${u.replace(/^fwd /, 'requests via ').replace(/^rev /, 'replies via ')}: the leaf's FIB lists this member, yet none of the ${p.tried} address pairs of the two pods hashes onto it (odds of that by luck: ${missOdds(u.startsWith('fwd') ? p.fwd.length : p.rev.length, p.tried)})`);
    const r = results[i]!;
    p.flows.forEach((f, k) => {
      const probe = r.paths?.[k];
      if (!probe || probe.received < probe.sent) return;
      if (f.fwd) expected.set(`${f.fwd.router} ${f.fwd.iface} request`, (expected.get(`${f.fwd.router} ${f.fwd.iface} request`) ?? 0) + probe.sent);
      if (f.rev) expected.set(`${f.rev.router} ${f.rev.iface} reply`, (expected.get(`${f.rev.router} ${f.rev.iface} reply`) ?? 0) + probe.received);
    });
  });
  if (!after.size) return { members, covered, verified: undefined, notes: [...notes, 'the leaves have no probe counters (a lab from an older version): paths planned, not verified'] };
  let verified = true;
  for (const [k, n] of expected) {
    const seen = (after.get(k) ?? 0) - (before.get(k) ?? 0);
    if (seen < n) {
      verified = false;
      const [leaf, iface, dir] = k.split(' ');
      notes.push(`not verified: ${leaf} ${iface} carried ${seen} of the ${n} probe ${dir === 'request' ? 'requests' : 'replies'} planned over it`);
    }
  }
  return { members, covered, verified, notes };
}

/**
 * A member FRR lists that no address pair hashes onto: ask the leaf's kernel whether its route
 * holds that next hop at all (FRR and the kernel out of step after a flap).
 */
async function kernelGaps(driver: import('../lab/drivers/types.js').Driver, plans: import('../lab/inspect/paths.js').PairPaths[]): Promise<string[]> {
  const asks = new Map<string, { leaf: string; prefix: string; ifaces: Set<string> }>();
  for (const p of plans) {
    for (const u of p.uncovered) {
      const m = /^(fwd|rev) (\S+) (\S+) → /.exec(u);
      if (!m) continue;
      const prefix = m[1] === 'fwd' ? p.to.podCIDR : p.from.podCIDR;
      const k = `${m[2]} ${prefix}`;
      const a = asks.get(k) ?? { leaf: m[2]!, prefix, ifaces: new Set<string>() };
      a.ifaces.add(m[3]!);
      asks.set(k, a);
    }
  }
  const out: string[] = [];
  for (const a of asks.values()) {
    const r = await driver.exec(a.leaf, ['ip', '-j', 'route', 'show', a.prefix]);
    const routes = JSON.parse(r.stdout || '[]') as { dev?: string; nexthops?: { dev: string }[] }[];
    const devs = new Set(routes.flatMap((x) => (x.nexthops ? x.nexthops.map((n) => n.dev) : x.dev ? [x.dev] : [])));
    const missing = [...a.ifaces].filter((i) => !devs.has(i));
    if (missing.length) out.push(`${a.leaf}'s kernel routes ${a.prefix} over ${[...devs].join(', ') || 'nothing'} only, though FRR lists ${missing.join(', ')} too: FRR and the kernel are out of step (\`router restart ${a.leaf}\`)`);
  }
  return out;
}
