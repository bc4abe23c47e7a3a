// Which ECMP member each probe takes, so `check` covers every path between two pods. Routers
// hash on addresses (policy 0): one address pair always takes one path. Each pod therefore
// carries extra probe addresses, and for every pair `check` picks address pairs whose hash lands
// on each leaf-to-spine member, in both directions.
// Which member an address pair takes is the kernel's own answer (`ip route get … iif`, the
// forwarding lookup with the router's hash and seed), checked afterwards on the leaves' counters.
//
// How many: sized for the widest ECMP the topology allows (8 spines). With W members and N
// candidate address pairs, a member is missed by luck with probability ((W-1)/W)^N per pair and
// direction. 7 extra addresses (8 × 8 = 64 pairs) missed one of 8 members 0.15 % of the time, a
// false failure every few checks of a large fabric; 13 (14 × 14 = 196 pairs) make it 4e-12.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { Route } from '../results.js';
import { findNode, ownerOfAddress, type Pod } from '../topology/model.js';
import { hostIn, ipToInt, parsePrefix } from '../topology/ip.js';
import { readRoutes } from './routes.js';

/** Extra addresses per pod in its /29 block (a /29 less its last address: the block of pod 15 ends at .255). */
const BLOCK_ADDRESSES = 7;
/** Extra addresses per pod below the blocks: pod i (0..15) holds .32+6i … .37+6i, the 96 addresses up to .127. */
const LOW_ADDRESSES = 6;
/** Extra addresses per pod in all. */
export const PROBE_ADDRESSES = BLOCK_ADDRESSES + LOW_ADDRESSES;
/** Candidate address pairs per pod pair and direction: the pods' own plus every probe address, each side. */
export const CANDIDATE_PAIRS = (PROBE_ADDRESSES + 1) ** 2;
/** check's probes carry DSCP CS1 (TOS 0x20): the leaves count them, and only them, per uplink. */
export const PROBE_TOS = 0x20;
export const COUNTER_TABLE = 'bgplab-paths';

const podIndex = (pod: Pod) => ipToInt(pod.ip) - parsePrefix(pod.podCIDR).network - 10;

/** The pod's probe block: pod i of a node (address .10+i) gets .128+8i/29 of the node's pod CIDR. */
export function probeBlockOf(pod: Pod): string {
  return `${hostIn(pod.podCIDR, 128 + 8 * podIndex(pod))}/29`;
}

/** The pod's low probe addresses (.32+6i …), each routed as a /32. */
export function lowProbeAddressesOf(pod: Pod): string[] {
  return Array.from({ length: LOW_ADDRESSES }, (_, k) => hostIn(pod.podCIDR, 32 + LOW_ADDRESSES * podIndex(pod) + k));
}

/** Every probe address of the pod: its /29 block's first 7, then its low ones. */
export function probeAddressesOf(pod: Pod): string[] {
  const base = probeBlockOf(pod).split('/')[0]!;
  return [...Array.from({ length: BLOCK_ADDRESSES }, (_, k) => hostIn(`${base}/32`, k)), ...lowProbeAddressesOf(pod)];
}

/** One leaf-to-spine hop a flow can hash onto: `leaf0 eth1 → spine0`. */
export interface Member {
  router: string;
  iface: string;
  peer: string;
}
export const memberLabel = (m: Member) => `${m.router} ${m.iface} → ${m.peer}`;

export interface Flow {
  src: string;
  dst: string;
  /** The pods' own addresses: the flow applications use, and the matrix shows. */
  main: boolean;
  /** The member the request leaves the source leaf on, and the one the reply leaves the destination leaf on. */
  fwd?: Member;
  rev?: Member;
}

export interface PairPaths {
  from: Pod;
  to: Pod;
  fwd: Member[];
  rev: Member[];
  flows: Flow[];
  /** Members (or the crossed request/reply combination) no probe address pair hashes onto. */
  uncovered: string[];
  /** How many candidate address pairs were asked about (all of them, when a goal stayed uncovered). */
  tried: number;
  /**
   * With coverage per leaf pair: the group (source leaf, destination leaf and their ECMP
   * members) whose pairs share the covering flows; its goals and `tried` are on its first pair.
   */
  group?: string;
}

/**
 * How far the planning goes. `pair`: every pod pair over every member both ways (the seed's
 * matrix). `leaf-pair`: every pod pair's own flow, and every member both ways (and a crossed
 * reply) for each leaf pair and ECMP group, spread over that group's pod pairs: what proves
 * every path of a large fabric, with lookups linear in the pairs rather than ~40 per pair.
 */
export type PathCoverageMode = 'pair' | 'leaf-pair';

/** Pairs up to which `check` plans every pod pair over every member (the 4×8×4 matrix, 992 pairs, stays per pair). */
export const PER_PAIR_MAX = 2000;
export const coverageFor = (pairs: number): PathCoverageMode => (pairs > PER_PAIR_MAX ? 'leaf-pair' : 'pair');

interface Ends {
  srcLeaf: string;
  dstLeaf: string;
  srcIif: string;
  dstIif: string;
}

function endsOf(topo: Topology, a: Pod, b: Pod): Ends | undefined {
  const ra = topo.racks.find((r) => r.name === findNode(topo, a.node)!.rack)!;
  const rb = topo.racks.find((r) => r.name === findNode(topo, b.node)!.rack)!;
  if (ra.leaf === rb.leaf) return undefined;
  return { srcLeaf: ra.leaf, dstLeaf: rb.leaf, srcIif: ra.leafInterface, dstIif: rb.leafInterface };
}

function membersOf(routes: Route[], router: string, prefix: string): Member[] {
  const r = routes.find((x) => x.selected && x.prefix === prefix);
  return (r?.nexthops ?? [])
    .filter((n) => n.active && n.fib && n.interface && n.ip)
    .map((n) => ({ router, iface: n.interface!, peer: n.device ?? n.ip! }))
    .sort((x, y) => x.iface.localeCompare(y.iface));
}

/** Candidate address pairs in a fixed order: the pods' own first, then the destination's probe addresses, then the source's. */
function candidates(a: Pod, b: Pod, withProbes: boolean): [string, string][] {
  const srcs = [a.ip, ...(withProbes ? probeAddressesOf(a) : [])];
  const dsts = [b.ip, ...(withProbes ? probeAddressesOf(b) : [])];
  return srcs.flatMap((s) => dsts.map((d): [string, string] => [s, d]));
}

/**
 * For each pair, the ECMP members between the two pods (from the leaves' FIBs) and the flows
 * that cover each of them in each direction, plus one whose reply comes back over another
 * spine than its request (the seed's capture picture). Deterministic: the kernel's lookups
 * with the lab's pinned seeds, candidates in a fixed order, the first that covers a goal kept.
 */
export async function planPaths(
  driver: Driver,
  topo: Topology,
  pairs: [Pod, Pod][],
  withProbes: boolean,
  signal?: AbortSignal,
  coverage: PathCoverageMode = 'pair',
): Promise<PairPaths[]> {
  const leaves = topo.routers.filter((r) => r.role === 'leaf').map((r) => r.name);
  const tables = new Map(await Promise.all(leaves.map(async (l) => [l, await readRoutes(driver, topo, l).catch(() => [] as Route[])] as const)));
  const spineOf = (ip: string) => ownerOfAddress(topo, ip)?.name ?? ip;
  // Members per leaf and prefix, read once (a large fabric has thousands of pairs per prefix).
  const memberCache = new Map<string, Member[]>();
  const members = (leaf: string, prefix: string) => {
    const k = `${leaf} ${prefix}`;
    let m = memberCache.get(k);
    if (!m) memberCache.set(k, (m = membersOf(tables.get(leaf) ?? [], leaf, prefix)));
    return m;
  };
  type Group = { key: string; goals: Set<string>; plans: Plan[]; cursor: number; tried: number };
  type Plan = { a: Pod; b: Pod; e?: Ends; fwd: Member[]; rev: Member[]; cands: [string, string][]; next: number; flows: Flow[]; group?: Group };
  const groups = new Map<string, Group>();
  const plans: Plan[] = pairs.map(([a, b], i) => {
    const e = endsOf(topo, a, b);
    const fwd = e ? members(e.srcLeaf, b.podCIDR) : [];
    const rev = e ? members(e.dstLeaf, a.podCIDR) : [];
    const p: Plan = { a, b, e, fwd, rev, cands: candidates(a, b, withProbes), next: 0, flows: [] };
    if (!e) return p;
    const key = coverage === 'pair' ? `pair ${i}` : `${e.srcLeaf}>${e.dstLeaf} ${fwd.map(memberLabel).join(',')} | ${rev.map(memberLabel).join(',')}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, goals: new Set<string>(), plans: [], cursor: 0, tried: 0 };
      fwd.forEach((m) => g!.goals.add(`fwd ${memberLabel(m)}`));
      rev.forEach((m) => g!.goals.add(`rev ${memberLabel(m)}`));
      if (fwd.some((f) => rev.some((r) => r.peer !== f.peer))) g.goals.add('crossed');
      groups.set(key, g);
    }
    g.plans.push(p);
    p.group = g;
    return p;
  });
  for (let round = 0; !signal?.aborted; round++) {
    // This round's candidates: the next 8 of every group still short of a goal, taken from its
    // pairs in turn, and the pods' own flow of every pair not asked yet.
    const batchOf = new Map<Plan, [string, string][]>();
    const take = (p: Plan) => {
      const c = p.cands[p.next++]!;
      (batchOf.get(p) ?? batchOf.set(p, []).get(p)!).push(c);
      p.group!.tried++;
    };
    for (const g of groups.values()) {
      for (let n = 0, idle = 0; g.goals.size && n < 8 && idle < g.plans.length; ) {
        const p = g.plans[g.cursor]!;
        g.cursor = (g.cursor + 1) % g.plans.length;
        if (p.next < p.cands.length) {
          take(p);
          n++;
          idle = 0;
        } else idle++;
      }
    }
    for (const p of plans) if (p.e && p.next === 0) take(p);
    if (!batchOf.size) break;
    // One `ip -batch` per leaf per round.
    const asks = new Map<string, Set<string>>();
    const ask = (leaf: string, line: string) => (asks.get(leaf) ?? asks.set(leaf, new Set()).get(leaf)!).add(line);
    for (const [p, take] of batchOf) {
      for (const [s, d] of take) {
        ask(p.e!.srcLeaf, `route get ${d} from ${s} iif ${p.e!.srcIif}`);
        ask(p.e!.dstLeaf, `route get ${s} from ${d} iif ${p.e!.dstIif}`);
      }
    }
    const answers = new Map<string, string>(); // `${leaf} ${dst} ${from}` → device
    await Promise.all(
      [...asks].map(async ([leaf, lines]) => {
        const r = await driver.exec(leaf, ['ip', '-j', '-force', '-batch', '-'], { input: [...lines].join('\n') + '\n', signal, timeoutMs: 20_000 + lines.size });
        for (const line of r.stdout.split('\n')) {
          if (!line.startsWith('[')) continue;
          for (const x of parseRouteGets(line)) {
            if (x.from && x.dev) answers.set(`${leaf} ${x.dst} ${x.from}`, `${x.dev} ${x.gateway ?? ''}`);
          }
        }
      }),
    );
    for (const [p, take] of batchOf) {
      const goals = p.group!.goals;
      for (const [s, d] of take) {
        const hop = (leaf: string, to: string, from: string): Member | undefined => {
          const got = answers.get(`${leaf} ${to} ${from}`);
          if (!got) return undefined;
          const [dev, gw] = got.split(' ');
          return { router: leaf, iface: dev!, peer: gw ? spineOf(gw) : dev! };
        };
        const flow: Flow = { src: s, dst: d, main: s === p.a.ip && d === p.b.ip, fwd: hop(p.e!.srcLeaf, d, s), rev: hop(p.e!.dstLeaf, s, d) };
        const hits = [
          flow.fwd && `fwd ${memberLabel(flow.fwd)}`,
          flow.rev && `rev ${memberLabel(flow.rev)}`,
          flow.fwd && flow.rev && flow.fwd.peer !== flow.rev.peer && 'crossed',
        ].filter((g): g is string => Boolean(g) && goals.has(g as string));
        if (flow.main || hits.length) {
          p.flows.push(flow);
          hits.forEach((g) => goals.delete(g));
        }
      }
    }
  }
  return plans.map((p) => {
    const lead = !p.group || p.group.plans[0] === p;
    return {
      from: p.a,
      to: p.b,
      fwd: p.fwd,
      rev: p.rev,
      // A pair inside one rack has no ECMP member: its pods' own flow is the whole story.
      flows: p.flows.length ? p.flows : [{ src: p.a.ip, dst: p.b.ip, main: true }],
      uncovered: lead && p.group ? [...p.group.goals] : [],
      tried: lead && p.group ? p.group.tried : p.next,
      ...(coverage === 'leaf-pair' && p.group ? { group: p.group.key } : {}),
    };
  });
}

type RouteGet = { dst: string; from?: string; gateway?: string; dev?: string };

/**
 * One line of `ip -j -batch` route-get output. On a large batch (a full check of 8×16×16 asks a
 * leaf tens of thousands of lookups) a line is not always one well-formed array; its objects
 * (flat: no nested objects) are read one by one then, and a lookup that cannot be read is one
 * candidate fewer, never a failed check.
 */
function parseRouteGets(line: string): RouteGet[] {
  try {
    return JSON.parse(line) as RouteGet[];
  } catch {
    // Each object's own fields, read by name: an object whose other fields (a cached route's
    // metrics) are malformed still says where the lookup went.
    return (line.match(/\{[^{}]*\}/g) ?? []).flatMap((o) => {
      const field = (k: string) => new RegExp(`"${k}":"([^"]*)"`).exec(o)?.[1];
      const dst = field('dst');
      return dst ? [{ dst, from: field('from'), gateway: field('gateway'), dev: field('dev') }] : [];
    });
  }
}

/** The leaves' probe counters: `leaf iface request|reply` → packets (empty when a leaf has no counter table). */
export async function readPathCounters(driver: Driver, topo: Topology): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const leaves = topo.routers.filter((r) => r.role === 'leaf');
  await Promise.all(
    leaves.map(async (l) => {
      const r = await driver.exec(l.name, ['nft', '-j', 'list', 'table', 'ip', COUNTER_TABLE]);
      if (r.exitCode !== 0) return;
      const items = (JSON.parse(r.stdout) as { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] }).nftables;
      for (const it of items) {
        const c = it.rule?.expr.find((x) => x.counter)?.counter;
        if (it.rule?.comment && c) out.set(`${l.name} ${it.rule.comment}`, c.packets);
      }
    }),
  );
  return out;
}

/** nftables rules that count check's probes leaving each uplink of a leaf, requests and replies apart. */
export function renderCounterNft(uplinks: string[]): string {
  const rules = uplinks.flatMap((i) => [
    `    oifname "${i}" ip dscp cs1 icmp type echo-request counter comment "${i} request"`,
    `    oifname "${i}" ip dscp cs1 icmp type echo-reply counter comment "${i} reply"`,
  ]);
  return [`table ip ${COUNTER_TABLE} {`, '  chain post {', '    type filter hook postrouting priority -300; policy accept;', ...rules, '  }', '}', ''].join('\n');
}

/** The interface of router `a` on its link to router `b`. */
export function ifaceToward(topo: Topology, a: string, b: string): string | undefined {
  for (const l of topo.links) {
    const ends = l.endpoints.map((e) => e.split(':') as [string, string]);
    const mine = ends.find((e) => e[0] === a);
    if (mine && ends.some((e) => e[0] === b)) return mine[1];
  }
  return undefined;
}

/** Every `device iface` a flow's request and reply cross: pod nodes' NICs, leaves' rack ports, both ends of each spine link. */
export function interfacesOnPath(topo: Topology, from: Pod, to: Pod, flow?: Flow): string[] {
  const na = findNode(topo, from.node)!;
  const nb = findNode(topo, to.node)!;
  const ra = topo.racks.find((r) => r.name === na.rack)!;
  const rb = topo.racks.find((r) => r.name === nb.rack)!;
  const out = new Set<string>([`${na.name} ${na.interface}`, `${nb.name} ${nb.interface}`, `${ra.leaf} ${ra.leafInterface}`, `${rb.leaf} ${rb.leafInterface}`]);
  const spines = flow ? [flow.fwd?.peer, flow.rev?.peer].filter((s): s is string => Boolean(s)) : [];
  // Without a known member every spine is on some path between the two leaves.
  const via = spines.length ? spines : ra.leaf === rb.leaf ? [] : topo.routers.filter((r) => r.role === 'spine').map((r) => r.name);
  for (const s of via) {
    for (const leaf of [ra.leaf, rb.leaf]) {
      const li = ifaceToward(topo, leaf, s);
      const si = ifaceToward(topo, s, leaf);
      if (li) out.add(`${leaf} ${li}`);
      if (si) out.add(`${s} ${si}`);
    }
  }
  return [...out];
}
