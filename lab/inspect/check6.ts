// `check --ipv6`: every pod pings every pod over IPv6 (fping -6, one process per source pod),
// counted as the IPv4 check counts (first round decides, retries within --wait tell loss from
// a dead path), and each failure says where the IPv6 route is missing.
// Not covered (the IPv4 check does these): the ECMP member each flow takes is neither planned
// (no IPv6 probe addresses) nor counted by the leaves; no HTTP, NodePort, --size or --capture.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { CheckResult, PingResult } from '../results.js';
import { hasIpv6, podsOf, type Pod } from '../topology/model.js';
import { readRoutes6 } from './ipv6.js';
import { UsageError } from '../errors.js';

export interface Check6Args {
  from?: Pod;
  to?: Pod;
  count: number;
  tolerateLoss: number;
  wait: number;
}

/** The one-line refusal for `--ipv6` on a topology without IPv6 (exit 2). */
export function requireIpv6(topo: Topology, what: string): void {
  if (!hasIpv6(topo)) throw new UsageError(`${what} --ipv6: topology ${topo.name} has no IPv6`, 'bring up a dual-stack topology, e.g. `bgp-lab --topology cilium-bgp-dual up`');
}

/** fping -6 from one pod's IPv6 to many; per target what came back. */
async function fping6(driver: Driver, pod: Pod, dsts: string[], count: number, signal: AbortSignal): Promise<Map<string, { sent: number; received: number; rttMs?: number }>> {
  const argv = ['fping', '-6', '-C', String(count), '-q', '-t', '1000', '-r', '0', '-i', '1', '-p', '20', '-S', pod.ip6!, ...dsts];
  const r = await driver.exec(pod.name, argv, { signal, timeoutMs: 5000 + count * (20 + 2 * dsts.length) });
  const out = new Map<string, { sent: number; received: number; rttMs?: number }>();
  for (const line of r.stderr.split('\n')) {
    const m = /^(\S+)\s+:\s+(.+)$/.exec(line.trim());
    if (!m || !dsts.includes(m[1]!)) continue;
    const rtts = m[2]!.split(/\s+/).filter((x) => x !== '-').map(Number).filter(Number.isFinite);
    out.set(m[1]!, { sent: count, received: rtts.length, rttMs: rtts.length ? Math.round((1000 * rtts.reduce((a, b) => a + b, 0)) / rtts.length) / 1000 : undefined });
  }
  for (const d of dsts) if (!out.has(d)) out.set(d, { sent: count, received: 0 });
  return out;
}

export async function checkIpv6(driver: Driver, topo: Topology, podsPerNode: number | undefined, args: Check6Args, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  requireIpv6(topo, 'check');
  const pods = podsOf(topo, podsPerNode).filter((p) => p.ip6);
  const from = args.from ? [args.from] : pods;
  const to = args.to ? [args.to] : pods;
  const pairs = from.flatMap((a) => to.filter((b) => b.name !== a.name && b.ip6).map((b) => [a, b] as const));
  if (!pairs.length) throw new UsageError('nothing to probe over IPv6: no pod pair', 'give two different pods (`check --ipv6 --from A --to B`), or neither');
  const got = new Map<string, { sent: number; received: number; rttMs?: number }>();
  const bySource = new Map<string, { pod: Pod; dsts: string[] }>();
  for (const [a, b] of pairs) {
    const g = bySource.get(a.name) ?? { pod: a, dsts: [] };
    g.dsts.push(b.ip6!);
    bySource.set(a.name, g);
  }
  await Promise.all([...bySource.values()].map(async (g) => {
    const r = await fping6(driver, g.pod, g.dsts, args.count, signal);
    for (const [dst, v] of r) got.set(`${g.pod.name} ${dst}`, v);
  }));
  const lossPct = (sent: number, received: number) => (sent ? (100 * (sent - received)) / sent : 0);
  const results: PingResult[] = pairs.map(([a, b]) => {
    const g = got.get(`${a.name} ${b.ip6}`) ?? { sent: args.count, received: 0 };
    return { from: a.name, to: b.name, toIp: b.ip6!, kind: 'ping', sent: g.sent, received: g.received, rttMs: g.rttMs, ok: g.received > 0 && lossPct(g.sent, g.received) <= args.tolerateLoss };
  });
  // Retries do not change the verdict: an answer within --wait marks a lossy pair, not a dead one.
  const deadline = Date.now() + args.wait * 1000;
  const open = results.map((r, i) => ({ r, i, attempt: 1 })).filter((x) => x.r.received! < x.r.sent!);
  while (open.length && Date.now() < deadline && !signal.aborted) {
    await Promise.all(open.map(async (x) => {
      x.attempt++;
      const p = pairs[x.i]!;
      const r = await fping6(driver, p[0], [p[1].ip6!], 1, signal);
      if (r.get(p[1].ip6!)?.received) x.r.attempts = x.attempt;
    }));
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.r.attempts) open.splice(k, 1);
    if (open.length) await new Promise((res) => setTimeout(res, 250));
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) await diagnose6(driver, topo, pods, failed);
  const sent = results.reduce((n, r) => n + r.sent!, 0);
  const received = results.reduce((n, r) => n + r.received!, 0);
  return {
    ok: failed.length === 0 && !signal.aborted,
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
    coverage: { members: 0, covered: 0, verified: undefined, notes: ['IPv6: each pair probed over the pods\' own addresses; which ECMP member each flow took is not planned or counted (the IPv4 `check` does that)'] },
    cancelled: signal.aborted || undefined,
  };
}

/** Where a failed IPv6 pair breaks: the leaf (source side, then destination side) without a route to the other pod's IPv6 pod CIDR. */
async function diagnose6(driver: Driver, topo: Topology, pods: Pod[], failed: PingResult[]): Promise<void> {
  const leafOf = (p: Pod) => topo.racks.find((r) => r.name === topo.cluster.nodes.find((n) => n.name === p.node)?.rack)?.leaf;
  const tables = new Map<string, Promise<{ prefix: string; selected: boolean }[]>>();
  const table = (leaf: string) => {
    if (!tables.has(leaf)) tables.set(leaf, readRoutes6(driver, topo, leaf).catch(() => []));
    return tables.get(leaf)!;
  };
  for (const f of failed) {
    const a = pods.find((p) => p.name === f.from)!;
    const b = pods.find((p) => p.name === f.to)!;
    const [la, lb] = [leafOf(a), leafOf(b)];
    const miss = async (leaf: string | undefined, prefix: string | undefined) => leaf && prefix && !(await table(leaf)).some((r) => r.prefix === prefix && r.selected);
    if (await miss(la, b.podCIDR6)) f.diagnosis = `${la} has no IPv6 route to ${b.podCIDR6} (${b.node}'s IPv6 pod CIDR): is its IPv6 session up and advertising? (\`peers\`, \`routes ${la} --ipv6\`)`;
    else if (await miss(lb, a.podCIDR6)) f.diagnosis = `replies: ${lb} has no IPv6 route to ${a.podCIDR6} (${a.node}'s IPv6 pod CIDR): is its IPv6 session up and advertising? (\`peers\`, \`routes ${lb} --ipv6\`)`;
    else f.diagnosis = `no answer over IPv6, though ${la} and ${lb} route both pod CIDRs`;
  }
}

/**
 * `up`'s IPv6 sweep (dual stack only): one pod per rack pings one pod of every other node over
 * IPv6, once; the flows that got no answer. Empty for a topology without IPv6.
 */
export async function ipv6SweepFailures(driver: Driver, topo: Topology, podsPerNode: number, signal: AbortSignal): Promise<string[]> {
  if (!hasIpv6(topo)) return [];
  const pods = podsOf(topo, podsPerNode).filter((p) => p.ip6);
  const perNode = topo.cluster.nodes.map((n) => pods.find((p) => p.node === n.name)).filter((p): p is Pod => Boolean(p));
  const rackOf = (p: Pod) => topo.cluster.nodes.find((n) => n.name === p.node)?.rack;
  const sources = topo.racks.map((r) => perNode.find((p) => rackOf(p) === r.name)).filter((p): p is Pod => Boolean(p));
  const failed: string[] = [];
  await Promise.all(sources.map(async (a) => {
    const dsts = perNode.filter((b) => b.node !== a.node);
    if (!dsts.length) return;
    const r = await fping6(driver, a, dsts.map((b) => b.ip6!), 1, signal);
    for (const b of dsts) if (!r.get(b.ip6!)?.received) failed.push(`${a.name} cannot ping ${b.name} over IPv6 (${b.ip6})`);
  }));
  return failed.sort();
}
