// The converged picture of a lab, as text lines that compare exactly: selected routes with
// their next hops on every router, and the state of every expected session end. A drill
// snapshots it before injecting and `drill end` must get back to it.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { Baseline } from '../state/drill-state.js';
import { parseRouteTable } from '../parsers/frr.js';
import { collectPeerRows } from '../inspect/peers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function routeLines(driver: Driver, router: string): Promise<string[]> {
  try {
    const routes = parseRouteTable(await driver.vtysh(router, 'show ip route json'));
    return routes
      .filter((r) => r.selected)
      .map((r) => `${r.prefix} ${r.protocol} ${r.nexthops.filter((n) => n.active).map((n) => n.ip ?? n.interface ?? 'blackhole').sort().join(',')}${r.installed ? '' : ' NOT-IN-FIB'}`);
  } catch {
    return ['(zebra not answering)'];
  }
}

export async function snapshot(driver: Driver, topo: Topology, routers = topo.routers.map((r) => r.name)): Promise<Baseline> {
  const [tables, peers] = await Promise.all([Promise.all(routers.map(async (r) => [r, await routeLines(driver, r)] as const)), collectPeerRows(driver, topo)]);
  return {
    routes: Object.fromEntries(tables),
    sessions: peers.filter((p) => p.expected).map((p) => `${p.router} → ${p.peer} (${p.peerAddress}) ${p.state}`).sort(),
  };
}

/** What differs from the baseline, one line each; empty when the lab is back. */
export function diffBaseline(want: Baseline, got: Baseline): string[] {
  const out: string[] = [];
  for (const [router, lines] of Object.entries(want.routes)) {
    const have = new Set(got.routes[router] ?? []);
    const wanted = new Set(lines);
    for (const l of lines) if (!have.has(l)) out.push(`${router}: missing ${l}`);
    for (const l of got.routes[router] ?? []) if (!wanted.has(l)) out.push(`${router}: extra ${l}`);
  }
  const have = new Set(got.sessions);
  for (const s of want.sessions) if (!have.has(s)) out.push(`session ${s}: now ${got.sessions.find((g) => g.startsWith(s.slice(0, s.lastIndexOf(' ')))) ?? 'gone'}`);
  return out;
}

export const leaves = (topo: Topology) => topo.routers.filter((r) => r.role === 'leaf').map((r) => r.name);

/** The leaves' tables as one string: changes of it are what convergence is measured on. */
export async function leafSignature(driver: Driver, topo: Topology): Promise<string> {
  const t = await Promise.all(leaves(topo).map(async (r) => `${r}\n${(await routeLines(driver, r)).join('\n')}`));
  return t.join('\n');
}

/**
 * Polls the leaves until their tables have not changed for `quietMs` (and `until` holds).
 * `initial` is the signature before the event: the first change is then seen even if it
 * happened before the first poll. lastChange is undefined when nothing changed.
 */
export async function waitSettled(
  driver: Driver,
  topo: Topology,
  opts: { quietMs: number; timeoutMs: number; initial?: string; signal?: AbortSignal; until?: () => Promise<boolean> },
): Promise<{ lastChange?: number; settled: boolean }> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  let sig = opts.initial ?? (await leafSignature(driver, topo));
  let lastChange: number | undefined;
  for (;;) {
    opts.signal?.throwIfAborted();
    const now = await leafSignature(driver, topo);
    if (now !== sig) {
      sig = now;
      lastChange = Date.now();
    }
    const quiet = Date.now() - (lastChange ?? started) >= opts.quietMs;
    if (quiet && (!opts.until || (await opts.until()))) return { lastChange, settled: true };
    if (Date.now() > deadline) return { lastChange, settled: false };
    await sleep(150);
  }
}

/** Polls until the lab matches the baseline again (routes and sessions). */
export async function waitBaseline(driver: Driver, topo: Topology, want: Baseline, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const diff = diffBaseline(want, await snapshot(driver, topo, Object.keys(want.routes)));
    // A route the kernel rejected does not heal by waiting (the caller restarts that router).
    if (!diff.length || Date.now() > deadline || (diff.some((l) => l.endsWith(' NOT-IN-FIB')) && Date.now() > deadline - timeoutMs + 5000)) return diff;
    await sleep(300);
  }
}

/** When the leaves' newest route was installed (FRR uptime, 1 s resolution): convergence seen after the fact. */
export async function leavesLastChange(driver: Driver, topo: Topology): Promise<number | undefined> {
  let newest: number | undefined;
  for (const leaf of leaves(topo)) {
    try {
      for (const r of parseRouteTable(await driver.vtysh(leaf, 'show ip route json'))) {
        const m = /^(\d+):(\d+):(\d+)$/.exec(r.uptime ?? '');
        if (!m || !r.selected) continue;
        const age = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
        newest = newest === undefined ? age : Math.min(newest, age);
      }
    } catch {
      /* a leaf without zebra has no uptime to offer */
    }
  }
  return newest === undefined ? undefined : Date.now() - newest;
}
