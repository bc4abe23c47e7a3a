// Why a pair failed in `check`, from facts: the pod's own kernel refusing to send, an interface
// on the failing path that is admin down, off its MTU or dropping packets, the ECMP member the
// lost probes took, and only then the routing walk (which hop lacks a route, which session).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { PingResult } from '../results.js';
import { ifaceToward, interfacesOnPath, memberLabel, type PairPaths } from './paths.js';
import { readDrift, type Drift } from './facts.js';
import { collectPeerRows } from './peers.js';
import { Diagnoser } from './diagnose.js';
import { POD_MTU } from '../drivers/embedded/fabric.js';

const factLine = (d: Drift) => `${d.what}${d.fix ? `: \`${d.fix}\`` : ''}`;

export async function explainFailures(driver: Driver, topo: Topology, plans: PairPaths[], results: PingResult[], opts: { size?: number; signal?: AbortSignal }): Promise<void> {
  const failed = results.map((r, i) => [r, i] as const).filter(([r]) => !r.ok);
  // One read of each device on a failing path.
  const onPath = new Map<number, string[]>();
  for (const [r, i] of failed) {
    const p = plans[i];
    if (r.kind !== 'ping' || !p) continue;
    const lost = p.flows.filter((_, k) => (r.paths?.[k]?.received ?? 0) < (r.paths?.[k]?.sent ?? 1));
    onPath.set(i, [...new Set((lost.length ? lost : [undefined]).flatMap((f) => interfacesOnPath(topo, p.from, p.to, f)))]);
  }
  const devices = [...new Set([...onPath.values()].flat().map((x) => x.split(' ')[0]!))];
  const [drift, locals] = await Promise.all([
    devices.length ? readDrift(driver, topo, devices, opts.signal).catch(() => [] as Drift[]) : ([] as Drift[]),
    // The pod's own kernel first: its eth0 MTU, its own route to the destination.
    Promise.all(failed.map(([r]) => (r.kind === 'ping' ? podRefuses(driver, r.from, r.toIp, opts.size) : undefined))),
  ]);
  // Admin down first, then MTU, then drops, then a missing carrier (the far end's doing).
  const rank: Record<Drift['kind'], number> = { 'admin-down': 0, mtu: 1, drop: 2, 'no-carrier': 3 };
  drift.sort((a, b) => rank[a.kind] - rank[b.kind]);
  let dx: Diagnoser | undefined;
  const diagnoser = async () => (dx ??= new Diagnoser(driver, topo, await collectPeerRows(driver, topo)));
  // Directed hops each fully answered flow crossed, requests and replies apart (with --size only
  // requests carry DF): a failing flow's suspects are the hops no clean flow of its kind crossed.
  const hopsOf = (p: PairPaths, k: number) => {
    const f = p.flows[k]!;
    const req = f.fwd ? [memberLabel(f.fwd), `${f.fwd.peer} → ${p.rev[0]?.router ?? '?'}`] : [];
    const rep = f.rev ? [memberLabel(f.rev), `${f.rev.peer} → ${f.fwd?.router ?? p.fwd[0]?.router ?? '?'}`] : [];
    return { req, rep };
  };
  const cleanReq = new Set<string>();
  const cleanRep = new Set<string>();
  results.forEach((r, i) => {
    const p = plans[i];
    if (r.kind !== 'ping' || !p) return;
    r.paths?.forEach((x, k) => {
      if (x.received < x.sent || !p.flows[k]) return;
      const h = hopsOf(p, k);
      h.req.forEach((x) => cleanReq.add(x));
      h.rep.forEach((x) => cleanRep.add(x));
    });
  });
  const pods = new Map(plans.flatMap((p) => [[p.from.name, p.from], [p.to.name, p.to]] as const));

  for (const [r, i] of failed) {
    if (r.kind === 'nodeport') {
      r.diagnosis = `NodePort ${r.toIp}:${topo.demo.service.nodePort} did not answer`;
      continue;
    }
    const a = pods.get(r.from);
    const b = pods.get(r.to);
    if (!a || !b) continue;
    if (r.kind === 'http') {
      r.diagnosis = await (await diagnoser()).explain(a, b);
      continue;
    }
    const local = locals[failed.findIndex(([, j]) => j === i)];
    if (local) {
      r.localError ??= local;
      r.diagnosis = localExplanation(r.from, local, opts.size);
      continue;
    }
    // A path MTU learned from the fabric's frag-needed is the fabric's doing: the path is named below.
    const learned = Number(/mtu=(\d+)/.exec(r.localError ?? '')?.[1]) < POD_MTU;
    const probes = r.paths ?? [];
    const lostFlows = probes.filter((x) => x.received < x.sent);
    const facts = drift.filter((d) => d.iface && onPath.get(i)?.includes(`${d.device} ${d.iface}`));
    const p = plans[i]!;
    // Which member the lost probes took: the request's, the reply's, or (neither stands out) both.
    // A drifted interface on one side's hops only decides it: that side, whatever the clean flows
    // happened to cross (a lab whose hashing sent no clean reply over the same hops as this
    // flow's blamed the innocent reply path too).
    const factIfaces = new Set(facts.map((d) => `${d.device} ${d.iface}`));
    const touchesFact = (hops: string[]) => hops.some((hop) => hopInterfaces(topo, hop).some((x) => factIfaces.has(x)));
    const reqs = new Set<string>();
    const reps = new Set<string>();
    probes.forEach((x, k) => {
      if (x.received >= x.sent || !p.flows[k]) return;
      const h = hopsOf(p, k);
      let req = h.req.some((y) => !cleanReq.has(y));
      let rep = h.rep.some((y) => !cleanRep.has(y));
      const [onReq, onRep] = [touchesFact(h.req), touchesFact(h.rep)];
      if (onReq !== onRep) [req, rep] = [onReq, onRep];
      if (x.via && (req || !rep)) reqs.add(x.via);
      if (x.back && (rep || !req)) reps.add(x.back);
    });
    const vias = [...(reqs.size ? [`via ${[...reqs].join(', ')}`] : []), ...(reps.size ? [`replies via ${[...reps].join(', ')}`] : [])];
    const lost = probes.reduce((n, x) => n + x.sent - x.received, 0);
    const sent = probes.reduce((n, x) => n + x.sent, 0) || (r.sent ?? 0);
    const symptom = opts.size ? `${opts.size}-byte DF packets dropped` : `${lost || (r.sent ?? 0) - (r.received ?? 0)} of ${sent} probes lost`;
    const passing = probes.length - lostFlows.length;
    const others = passing > 0 && vias.length ? ` (${passing} other path${passing > 1 ? 's' : ''} clean)` : '';
    const pmtu = learned ? ` (${r.from} learned a path MTU of ${/mtu=(\d+)/.exec(r.localError!)![1]} from a router's frag-needed)` : '';
    const retried = r.attempts ? '; every lost path answered a retry: it loses packets, it is not cut' : '';
    // The source leaf has no route for some lost flow: the routing walk says which hop and session.
    const unrouted = probes.some((x, k) => x.received < x.sent && p.flows[k] && !p.flows[k]!.fwd);
    const walk = unrouted || (!vias.length && !r.received) ? await (await diagnoser()).explain(a, b) : undefined;
    const factText = facts.map(factLine).join('; ');
    // An admin-down interface on the path cuts it whatever the hashing: named before anything else.
    if (facts[0]?.kind === 'admin-down') r.diagnosis = `${factText} — ${vias.length && !unrouted ? `${vias.join('; ')}: ` : ''}${symptom}${walk ? `; ${walk}` : ''}`;
    else if (vias.length && !unrouted) r.diagnosis = `${vias.join('; ')}: ${symptom}${others}${pmtu}${facts.length ? ` — ${factText}` : ''}${retried}`;
    else if (facts.length) r.diagnosis = `${factText} — ${symptom}${walk ? `; ${walk}` : ''}`;
    else r.diagnosis = walk ?? `${symptom}${others}${retried}`;
  }
}

/** Both ends of the link a directed hop crosses (`leaf0 eth2 → spine1`, `spine1 → leaf1`), as `device iface`. */
function hopInterfaces(topo: Topology, hop: string): string[] {
  const m = /^(\S+)(?: \S+)? → (\S+)$/.exec(hop);
  if (!m) return [];
  const [, a, b] = m as unknown as [string, string, string];
  return [[a, b], [b, a]].flatMap(([x, y]) => { const i = ifaceToward(topo, x!, y!); return i ? [`${x} ${i}`] : []; });
}

/** The pod's kernel refused the packet: say so, and whose MTU it was. */
function localExplanation(pod: string, err: string, size?: number): string {
  const mtu = Number(/mtu=(\d+)/.exec(err)?.[1]);
  if (/message too long/i.test(err) && mtu) {
    return mtu >= POD_MTU
      ? `${pod} could not send it: ${err} — ${size ? `${size} bytes of payload + 28 of headers exceed` : 'the packet exceeds'} the pod's own eth0 MTU (${mtu}); it never left the pod`
      : `${pod} could not send it: ${err} — the path MTU the pod learned is ${mtu}: a hop on the path has a smaller MTU`;
  }
  if (/unreachable|no route/i.test(err)) return `${pod} has no route to the destination in its own routing table (${err}): nothing left the pod`;
  return `${pod} could not send it: ${err}`;
}

/** What the source pod's kernel says before any packet leaves: `message too long, mtu=N` or its route error. */
async function podRefuses(driver: Driver, pod: string, dst: string, size?: number): Promise<string | undefined> {
  const [link, route] = await Promise.all([driver.exec(pod, ['ip', '-j', 'link', 'show', 'dev', 'eth0']), driver.exec(pod, ['ip', 'route', 'get', dst])]);
  if (route.exitCode !== 0) return `no route: ${(route.stderr || route.stdout).trim().split('\n')[0]}`;
  const mtu = (JSON.parse(link.stdout || '[{}]') as { mtu?: number }[])[0]?.mtu;
  if (size && mtu && size + 28 > mtu) return `local error: message too long, mtu=${mtu}`;
  return undefined;
}
