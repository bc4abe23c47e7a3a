// Reads what the picture shows from a running lab: interface states of every router and node
// (one `ip -j link` each), BGP session states (the same rows `peers` shows), dead daemons
// (`status`'s health), the drill's fault for its game master, and a trace's path per direction
// (the leaves' FIB lookups `check` uses: deterministic, no probe sent).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { DrillState } from '../state/drill-state.js';
import type { Pod } from '../topology/model.js';
import { pairKey, type LiveFacts } from './model.js';

interface IpLink {
  ifname: string;
  operstate?: string;
  flags?: string[];
}

async function interfaceStates(driver: Driver, t: Topology): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  const devices = [...t.routers.map((r) => r.name), ...t.cluster.nodes.map((n) => n.name)];
  await Promise.all(
    devices.map(async (d) => {
      const r = await driver.exec(d, ['ip', '-j', 'link', 'show'], { timeoutMs: 10_000 }).catch(() => undefined);
      if (!r || r.exitCode !== 0) return;
      for (const l of JSON.parse(r.stdout || '[]') as IpLink[]) {
        const name = l.ifname.split('@')[0]!;
        const flags = l.flags ?? [];
        out.set(`${d}:${name}`, l.operstate === 'UP' || (l.operstate === 'UNKNOWN' && flags.includes('UP') && flags.includes('LOWER_UP')));
      }
    }),
  );
  return out;
}

/**
 * Who may see the drill's fault: its game master (the `gameMaster` the drill records, else
 * whoever started it), and nobody while the drill is hidden (--random) until it ends.
 */
export function maySeeFault(state: DrillState, user: string): boolean {
  return !state.hidden && (state.gameMaster?.user ?? state.startedBy) === user;
}

/**
 * Where a drill's fault is, from its target record: the cable for a fault on an interface
 * (`leaf` + `iface`), else the node, spine or leaf it hit. Other fields name where symptoms show
 * (the probing pods' nodes, the far leaf) and are not marked.
 */
export function faultMarks(t: Topology, state: DrillState): Set<string> {
  const f = state.fault;
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const known = (d?: string) => Boolean(d && (t.routers.some((r) => r.name === d) || t.cluster.nodes.some((n) => n.name === d)));
  // A cable: `leafIface` (+ `spineIface`) of a spine-leaf link, or an `iface` of a router.
  const leaf = str('leaf');
  if (leaf && known(leaf) && str('leafIface')) return new Set([`${leaf}:${str('leafIface')}`, ...(str('spine') && str('spineIface') ? [`${str('spine')}:${str('spineIface')}`] : [])]);
  const iface = str('iface');
  const owner = [str('spine'), str('router'), str('device'), str('leaf'), str('node')].find((d) => known(d) && iface && t.routers.find((r) => r.name === d)?.interfaces.some((i) => i.name === iface));
  if (owner && iface) return new Set([`${owner}:${iface}`]);
  const device = [str('node'), str('router'), str('device'), str('spine'), str('leaf')].find(known);
  return new Set(device ? [device] : []);
}

/** The devices a trace's request and reply cross, in order, from the leaves' FIBs. */
export async function tracePath(driver: Driver, t: Topology, from: Pod, to: Pod, signal?: AbortSignal): Promise<NonNullable<LiveFacts['trace']>> {
  const { planPaths } = await import('../inspect/paths.js');
  const rackLeaf = (p: Pod) => t.racks.find((r) => r.name === t.cluster.nodes.find((n) => n.name === p.node)!.rack)!.leaf;
  const [la, lb] = [rackLeaf(from), rackLeaf(to)];
  if (la === lb) {
    const path = [from.name, from.node, ...(from.node === to.node ? [] : [la, to.node]), to.name];
    return { from: from.name, to: to.name, fwd: path, rev: [...path].reverse() };
  }
  const [plan] = await planPaths(driver, t, [[from, to]], false, signal);
  const main = plan?.flows.find((f) => f.main) ?? plan?.flows[0];
  const fwd = [from.name, from.node, la, ...(main?.fwd ? [main.fwd.peer] : []), lb, to.node, to.name];
  const rev = [to.name, to.node, lb, ...(main?.rev ? [main.rev.peer] : []), la, from.node, from.name];
  return { from: from.name, to: to.name, fwd, rev };
}

export async function readLive(driver: Driver, t: Topology, opts: { user: string; lab: string; trace?: [Pod, Pod]; signal?: AbortSignal }): Promise<LiveFacts> {
  const [{ collectPeerRows, sessionRows }, { readDrill }] = await Promise.all([import('../inspect/peers.js'), import('../state/drill-state.js')]);
  const [ifUp, rows, health, drill, trace] = await Promise.all([
    interfaceStates(driver, t),
    collectPeerRows(driver, t).then((all) => sessionRows(t, all).filter(Boolean)).catch(() => undefined),
    driver.health().catch(() => undefined),
    readDrill(opts.lab).catch(() => undefined),
    opts.trace ? tracePath(driver, t, opts.trace[0], opts.trace[1], opts.signal) : undefined,
  ]);
  const sessions = rows ? new Map(rows.map((r) => [pairKey(r.router, r.peer), r.state])) : undefined;
  const problems = new Map<string, string[]>();
  for (const h of health ?? []) {
    const p = [...(h.namespace ? [] : ['no namespace']), ...h.daemons.filter((d) => !d.alive).map((d) => `${d.name} not running`)];
    if (p.length) problems.set(h.name, p);
  }
  const fault = drill && maySeeFault(drill, opts.user) ? faultMarks(t, drill) : undefined;
  return { ifUp, sessions, problems, fault, trace, at: new Date().toISOString() };
}
