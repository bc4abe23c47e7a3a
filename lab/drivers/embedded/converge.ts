// `up` returns only when the fabric is converged: every expected session Established, every
// pod CIDR on every router with the expected ECMP width, and one pod per rack reaching one pod
// of every other node with its own flow and over every ECMP member between the two leaves,
// both ways (a probe per member and direction, as `check` plans them: per pod pair up to
// UP_PER_PAIR_MAX pairs, per leaf pair and ECMP group beyond, where the routers' tables above
// prove each prefix's width). Not all pairs: that is what `check` is for.
import type { Driver, Progress } from '../types.js';
import type { Topology } from '../../topology/schema.js';
import { LabError } from '../../errors.js';
import { fabricGaps, type ConvergeState } from '../../inspect/converge.js';
import { fpingFrom } from '../../inspect/ping.js';
import { planPaths, PROBE_TOS } from '../../inspect/paths.js';

/** Pairs up to which `up`'s sweep plans every member per pod pair (check's own limit is PER_PAIR_MAX). */
const UP_PER_PAIR_MAX = 256;
import { podsOf, type Pod } from '../../topology/model.js';

export async function waitConverged(
  driver: Driver,
  topo: Topology,
  podsPerNode: number,
  opts: { timeoutMs: number; signal: AbortSignal; progress: Progress },
): Promise<ConvergeState> {
  const deadline = Date.now() + opts.timeoutMs;
  let state: ConvergeState = { sessions: { established: 0, expected: 0 }, gaps: ['not checked yet'] };
  let lastReported = '';
  while (Date.now() < deadline) {
    opts.signal.throwIfAborted();
    const round = performance.now();
    state = await fabricGaps(driver, topo, true, true);
    const readMs = performance.now() - round;
    const line = `${state.sessions.established}/${state.sessions.expected} sessions, ${state.gaps.length ? `${state.gaps.length} not converged yet` : 'converged'}${state.gaps.length && state.gaps.length <= 4 ? `: ${state.gaps.join('; ')}` : ''}`;
    if (line !== lastReported) opts.progress({ type: 'log', message: line });
    lastReported = line;
    if (!state.gaps.length) {
      const failed = await probeEveryCidr(driver, topo, podsPerNode, opts.signal);
      if (!failed.length) failed.push(...(await (await import('../../inspect/check6.js')).ipv6SweepFailures(driver, topo, podsPerNode, opts.signal))); // dual stack only
      // The routers see every session, nodes' included (from their leaf): no second read.
      if (!failed.length) return state;
      state = { ...state, gaps: failed };
      opts.progress({ type: 'log', message: `probe sweep: ${failed.length} flows failed (${state.gaps.slice(0, 2).join('; ')}${failed.length > 2 ? '; …' : ''})` });
    }
    // A pause as long as the read took (100 ms to 1 s): a large fabric's reads load the very
    // daemons that are converging, at most half the time.
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(100, readMs))));
  }
  throw new LabError(`not converged after ${Math.round(opts.timeoutMs / 1000)} s: ${state.gaps.slice(0, 6).join('; ')}${state.gaps.length > 6 ? `; …${state.gaps.length - 6} more` : ''}`, {
    hint: 'see `bgp-lab status` and the router logs under /run/bgp-lab/<lab>/<router>/',
  });
}

/** One pod per rack pings one pod of every other node, over each ECMP member both ways; the flows that got no answer. */
async function probeEveryCidr(driver: Driver, topo: Topology, podsPerNode: number, signal: AbortSignal): Promise<string[]> {
  const pods = podsOf(topo, podsPerNode);
  const firstOf = (node: string) => pods.find((p) => p.node === node);
  const perNode = topo.cluster.nodes.map((n) => firstOf(n.name)).filter((p): p is Pod => Boolean(p));
  const sources = topo.racks.map((r) => perNode.find((p) => topo.cluster.nodes.find((n) => n.name === p.node)?.rack === r.name)).filter((p): p is Pod => Boolean(p));
  const pairs = sources.flatMap((a) => perNode.filter((b) => b.node !== a.node).map((b): [Pod, Pod] => [a, b]));
  // Per pod pair up to UP_PER_PAIR_MAX pairs (the seed's 6, 4×8×4's 248), per leaf pair beyond:
  // every member both ways for each leaf pair and ECMP group, and every pair's own flow. At 96
  // nodes (1,520 pairs over 8 spines) the per-pair plan was 15 s of the proof; the routers'
  // tables above already prove each prefix's ECMP width on every router.
  const plans = await planPaths(driver, topo, pairs, true, signal, pairs.length > UP_PER_PAIR_MAX ? 'leaf-pair' : 'pair');
  const groups = new Map<string, { pod: string; src: string; dsts: string[]; names: Map<string, string> }>();
  for (const p of plans) for (const f of p.flows) {
    const g = groups.get(`${p.from.name} ${f.src}`) ?? { pod: p.from.name, src: f.src, dsts: [] as string[], names: new Map<string, string>() };
    g.dsts.push(f.dst);
    g.names.set(f.dst, p.to.name);
    groups.set(`${p.from.name} ${f.src}`, g);
  }
  const failed: string[] = [];
  await Promise.all([...groups.values()].map(async (g) => {
    const r = await fpingFrom(driver, g.pod, g.src, g.dsts, { count: 1, tos: PROBE_TOS, signal });
    for (const [dst, v] of r) if (!v.received) failed.push(`${g.pod} (${g.src}) cannot ping ${g.names.get(dst)} (${dst})`);
  }));
  return failed.sort();
}
