// The fabric as a graph every picture format draws from: devices by tier (spines, leaves,
// nodes grouped by rack, pods), every cable with the interface at each end, the BGP session
// state carried by the cable (or rack LAN) it runs over, and marks: a link or daemon that is
// down, the drill's fault (only when the caller may see it), the path of a trace per direction.
import type { Topology } from '../topology/schema.js';
import { podsOf, sessions } from '../topology/model.js';

export type Tier = 'spine' | 'leaf' | 'node' | 'pod';

export interface GraphNode {
  /** Safe in every format: `d0`, `d1`, … (names stay in labels). */
  id: string;
  name: string;
  tier: Tier;
  /** Lines under the name: AS, address, pod CIDR. */
  detail: string[];
  rack?: string;
  /** Dead daemons or a missing namespace: drawn red, said in `problems`. */
  problems: string[];
  fault?: boolean;
}

export type LinkState = 'up' | 'down' | 'unknown';

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: 'link' | 'lan' | 'pod';
  fromIf?: string;
  toIf?: string;
  link: LinkState;
  /** The state of the BGP session over it (Established, Active, …), when one runs over it. */
  session?: string;
  fault?: boolean;
  trace?: 'fwd' | 'rev' | 'both';
}

export interface GraphRack {
  name: string;
  subnet: string;
  members: string[];
}

export interface Graph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  racks: GraphRack[];
  /** When the live state was read; absent for the plan alone (no lab running). */
  at?: string;
  trace?: { from: string; to: string; fwd: string[]; rev: string[] };
  /** Said under the picture: what is down, where the fault is (game master only). */
  notes: string[];
}

/** What was read from the running lab. Absent parts are drawn as unknown. */
export interface LiveFacts {
  /** `device:iface` → operational state is UP. */
  ifUp?: Map<string, boolean>;
  /** sorted `a|b` device pair → session state. */
  sessions?: Map<string, string>;
  /** device → what is wrong with it (dead bgpd, no namespace). */
  problems?: Map<string, string[]>;
  /** Device names and `device:iface` the drill's fault is on (only passed for the game master). */
  fault?: Set<string>;
  /** Per direction, the devices a trace crossed in order (pod … pod). */
  trace?: { from: string; to: string; fwd: string[]; rev: string[] };
  at?: string;
}

export const pairKey = (a: string, b: string) => [a, b].sort().join('|');

function linkState(f: LiveFacts, a: string, b: string): LinkState {
  if (!f.ifUp) return 'unknown';
  const x = f.ifUp.get(a);
  const y = f.ifUp.get(b);
  if (x === false || y === false) return 'down';
  return x && y ? 'up' : 'unknown';
}

/** Consecutive device pairs of a path, as pair keys. */
function hops(path: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < path.length; i++) out.add(pairKey(path[i - 1]!, path[i]!));
  return out;
}

export function buildGraph(t: Topology, podsPerNode: number | undefined, f: LiveFacts = {}): Graph {
  const nodes: GraphNode[] = [];
  const ids = new Map<string, string>();
  const add = (n: Omit<GraphNode, 'id' | 'problems' | 'fault'>) => {
    const id = `d${nodes.length}`;
    ids.set(n.name, id);
    const problems = f.problems?.get(n.name) ?? [];
    nodes.push({ ...n, id, problems, fault: f.fault?.has(n.name) || undefined });
  };
  for (const tier of ['spine', 'leaf'] as const)
    for (const r of t.routers.filter((x) => x.role === tier)) add({ name: r.name, tier, detail: [`AS ${r.asn}`, r.routerId] });
  // Routers of another role (none in the generated fabrics) are drawn with the spines.
  for (const r of t.routers.filter((x) => x.role !== 'spine' && x.role !== 'leaf')) add({ name: r.name, tier: 'spine', detail: [`AS ${r.asn}`] });
  const pods = podsOf(t, podsPerNode);
  for (const n of t.cluster.nodes) add({ name: n.name, tier: 'node', detail: [n.ip], rack: n.rack });
  for (const p of pods) add({ name: p.name, tier: 'pod', detail: [p.ip], rack: t.cluster.nodes.find((n) => n.name === p.node)?.rack });

  const sessionOf = (a: string, b: string) => f.sessions?.get(pairKey(a, b));
  const expected = new Set(sessions(t).map((s) => pairKey(s.device, s.peer)));
  const fwd = f.trace ? hops(f.trace.fwd) : new Set<string>();
  const rev = f.trace ? hops(f.trace.rev) : new Set<string>();
  const traceOf = (a: string, b: string): GraphEdge['trace'] => {
    const k = pairKey(a, b);
    return fwd.has(k) && rev.has(k) ? 'both' : fwd.has(k) ? 'fwd' : rev.has(k) ? 'rev' : undefined;
  };
  const edges: GraphEdge[] = [];
  const edge = (e: Omit<GraphEdge, 'id'>) => edges.push({ ...e, id: `e${edges.length}` });
  const role = (name: string) => t.routers.find((r) => r.name === name)?.role;
  for (const l of t.links) {
    // Drawn from the upper tier down: spine → leaf.
    let [a, b] = l.endpoints.map((e) => e.split(':') as [string, string]) as [[string, string], [string, string]];
    if (role(a[0]) === 'leaf' && role(b[0]) === 'spine') [a, b] = [b, a];
    const fault = f.fault && (f.fault.has(`${a[0]}:${a[1]}`) || f.fault.has(`${b[0]}:${b[1]}`));
    edge({
      from: ids.get(a[0])!, to: ids.get(b[0])!, kind: 'link', fromIf: a[1], toIf: b[1],
      link: linkState(f, `${a[0]}:${a[1]}`, `${b[0]}:${b[1]}`),
      session: expected.has(pairKey(a[0], b[0])) ? sessionOf(a[0], b[0]) ?? (f.sessions ? 'missing' : undefined) : undefined,
      fault: fault || undefined, trace: traceOf(a[0], b[0]),
    });
  }
  for (const n of t.cluster.nodes) {
    const rack = t.racks.find((r) => r.name === n.rack)!;
    edge({
      from: ids.get(rack.leaf)!, to: ids.get(n.name)!, kind: 'lan', fromIf: rack.leafInterface, toIf: n.interface,
      link: linkState(f, `${rack.leaf}:${rack.leafInterface}`, `${n.name}:${n.interface}`),
      session: expected.has(pairKey(rack.leaf, n.name)) ? sessionOf(rack.leaf, n.name) ?? (f.sessions ? 'missing' : undefined) : undefined,
      fault: (f.fault && (f.fault.has(`${rack.leaf}:${rack.leafInterface}`) || f.fault.has(`${n.name}:${n.interface}`))) || undefined,
      trace: traceOf(rack.leaf, n.name),
    });
  }
  for (const p of pods) edge({ from: ids.get(p.node)!, to: ids.get(p.name)!, kind: 'pod', link: 'up', trace: traceOf(p.node, p.name) });

  const notes: string[] = [];
  const nameOf = (id: string) => nodes.find((n) => n.id === id)!.name;
  for (const e of edges.filter((x) => x.link === 'down')) notes.push(`link down: ${nameOf(e.from)}:${e.fromIf} — ${nameOf(e.to)}:${e.toIf}`);
  for (const e of edges.filter((x) => x.session && x.session !== 'Established')) notes.push(`session ${nameOf(e.from)} — ${nameOf(e.to)}: ${e.session}`);
  for (const n of nodes.filter((x) => x.problems.length)) notes.push(`${n.name}: ${n.problems.join(', ')}`);
  if (f.fault?.size) notes.push(`drill fault (game master only): ${[...f.fault].join(', ')}`);
  return {
    name: t.name,
    nodes,
    edges,
    racks: t.racks.map((r) => ({ name: r.name, subnet: r.subnet, members: nodes.filter((n) => n.rack === r.name).map((n) => n.id) })),
    at: f.at,
    trace: f.trace,
    notes,
  };
}
