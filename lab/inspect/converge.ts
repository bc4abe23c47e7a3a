// Where a fabric stands against its topology: sessions Established and pod CIDRs with their
// ECMP width on every router. Any driver: `up` waits on it, and reports it.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import { collectPeerRows } from './peers.js';
import { sessions } from '../topology/model.js';
import { expectedPodRoutes, readRoutes, routeGaps } from './routes.js';
import { ipv6RouteGaps } from './ipv6.js';

export interface ConvergeState {
  sessions: { established: number; expected: number };
  gaps: string[];
}

/**
 * `routersOnly`: read the routers alone (vty sockets, cheap); a node's session is the one its leaf sees.
 * `sessionsFirst`: while a session is not Established, the route tables are not read (each
 * round asked every router for its whole table: on a 128-node fabric that JSON is CPU the
 * converging daemons needed); their gaps come once every session is up.
 */
export async function fabricGaps(driver: Driver, topo: Topology, routersOnly = false, sessionsFirst = false): Promise<ConvergeState> {
  const expected = expectedPodRoutes(topo);
  const peers = await collectPeerRows(driver, topo, routersOnly);
  const ends = peers.filter((p) => p.expected && (!routersOnly || p.kind === 'router'));
  const gaps = ends.filter((p) => p.state !== 'Established').map((p) => `${p.router} ↔ ${p.peer} (${p.peerAddress}) is ${p.state}`);
  if (!sessionsFirst || !gaps.length) {
    const tables = await Promise.all([...expected.keys()].map(async (r) => [r, await readRoutes(driver, topo, r).catch(() => [])] as const));
    for (const [router, routes] of tables) gaps.push(...routeGaps(router, routes, expected.get(router)!));
    gaps.push(...(await ipv6RouteGaps(driver, topo))); // dual stack only: the IPv6 pod CIDRs too
  }
  // Count sessions, not ends: each session once, in the state of whichever end was read.
  const all = sessions(topo);
  const up = all.filter((x) =>
    ends.some((p) => p.state === 'Established' && ((p.router === x.device && p.peerAddress === x.peerAddress) || (p.router === x.peer && p.peerAddress === x.localAddress))),
  ).length;
  return { sessions: { established: up, expected: all.length }, gaps };
}

