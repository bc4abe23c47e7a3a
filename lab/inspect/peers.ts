// Every BGP session end of the fabric, read from the routers (FRR JSON) and the node agents
// (GoBGP -j), matched against what the topology expects. Works on any driver.
import type { Driver, Progress } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { PeerRow } from '../results.js';
import { ownerOfAddress, sessionEnds, sessions } from '../topology/model.js';
import { parseBgpSummary, parseNeighborResets } from '../parsers/frr.js';
import { formatUptime, parseGobgpNeighbors } from '../parsers/gobgp.js';

/** All session ends (both sides of each session), expected ones first. */
export async function collectPeerRows(driver: Driver, topo: Topology, routersOnly = false, device?: string): Promise<PeerRow[]> {
  const ends = sessionEnds(topo).filter((e) => (!routersOnly || e.deviceKind === 'router') && (!device || e.device === device));
  const devices = [...new Set(ends.map((e) => `${e.deviceKind}:${e.device}`))];
  const rows = await Promise.all(
    devices.map(async (d): Promise<PeerRow[]> => {
      const [kind, name] = d.split(':') as ['router' | 'node', string];
      const expected = ends.filter((e) => e.device === name);
      let seen: (Pick<PeerRow, 'upDown' | 'peerPort' | 'sessionState' | 'families'> & { peerAddress: string; peerAs: number; localAs: number; state: string; uptimeSeconds?: number; uptime?: string; received: number; advertised: number })[] = [];
      try {
        // A node's agent is asked per neighbor: only then does GoBGP count what it advertised.
        seen =
          kind === 'router'
            ? parseBgpSummary(await driver.vtysh(name, 'show bgp summary json')).peers
            : (await Promise.all(expected.map((e) => driver.gobgp(name, ['-j', 'neighbor', e.peerAddress]).then(parseGobgpNeighbors)))).flat();
      } catch {
        seen = []; // daemon down: every session of this device shows as down below
      }
      const out: PeerRow[] = expected.map((e) => {
        const s = seen.find((x) => x.peerAddress === e.peerAddress);
        return {
          router: name,
          kind,
          localAs: s?.localAs || e.localAs,
          peerAs: s?.peerAs || e.peerAs,
          peerAddress: e.peerAddress,
          peer: e.peer,
          state: s?.state ?? 'Down',
          uptime: s?.uptimeSeconds !== undefined ? formatUptime(s.uptimeSeconds) : s?.uptime ?? '',
          uptimeSeconds: s?.uptimeSeconds,
          received: s?.received ?? 0,
          advertised: s?.advertised ?? 0,
          expected: true,
          ...extraFields(kind, s),
        };
      });
      for (const s of seen) {
        if (expected.some((e) => e.peerAddress === s.peerAddress)) continue;
        out.push({ router: name, kind, localAs: s.localAs, peerAs: s.peerAs, peerAddress: s.peerAddress, peer: ownerOfAddress(topo, s.peerAddress)?.name ?? s.peerAddress, state: s.state, uptime: s.uptime || formatUptime(s.uptimeSeconds), uptimeSeconds: s.uptimeSeconds, received: s.received, advertised: s.advertised, expected: false, ...extraFields(kind, s) });
      }
      return out;
    }),
  );
  return explainDown(driver, topo, rows.flat());
}

/**
 * Per kind, what its own tool shows beyond the common columns: a node's port, lowercase state
 * and families (`cilium bgp peers`), a router's Up/Down (`show bgp summary`). A node whose agent
 * does not answer shows what Cilium's agent reports for a configured neighbor it cannot reach.
 */
function extraFields(kind: 'router' | 'node', s: Partial<PeerRow> | undefined, port = 179): Partial<PeerRow> {
  if (kind === 'router') return { upDown: s?.upDown ?? 'never' };
  return {
    peerPort: s?.peerPort ?? port,
    sessionState: s?.sessionState ?? 'unknown',
    families: s?.families?.length ? s.families : [{ afi: 'ipv4', safi: 'unicast', received: s?.received ?? 0, advertised: s?.advertised ?? 0 }],
  };
}

/**
 * For sessions that are not Established, FRR's reason (`Bad Peer AS`, `Hold Timer Expired`…),
 * read from the router's side: a node's session is explained by its leaf. One extra query per
 * router involved, and none at all while everything is up.
 */
async function explainDown(driver: Driver, topo: Topology, rows: PeerRow[]): Promise<PeerRow[]> {
  const down = rows.filter((r) => r.state !== 'Established');
  if (!down.length) return rows;
  const ends = sessionEnds(topo);
  const sideOf = (r: PeerRow) =>
    r.kind === 'router' ? { router: r.router, neighbor: r.peerAddress } : { router: r.peer, neighbor: ends.find((e) => e.device === r.router && e.peerAddress === r.peerAddress)?.localAddress };
  const routers = [...new Set(down.map((r) => sideOf(r).router).filter((n) => topo.routers.some((x) => x.name === n)))];
  const resets = new Map<string, ReturnType<typeof parseNeighborResets>>();
  await Promise.all(routers.map(async (r) => resets.set(r, parseNeighborResets(await driver.vtysh(r, 'show bgp neighbors json').catch(() => '{}')))));
  return rows.map((r) => {
    if (r.state === 'Established') return r;
    const side = sideOf(r);
    const why = side.neighbor ? resets.get(side.router)?.[side.neighbor] : undefined;
    return why?.notification || why?.resetDueTo ? { ...r, lastError: { by: side.router, ...why } } : r;
  });
}

/** One row per session (the view `sessions()` picks); down when either end is not Established. */
export function sessionRows(topo: Topology, all: PeerRow[]): PeerRow[] {
  return sessions(topo).map((s) => {
    const mine = all.find((r) => r.router === s.device && r.peerAddress === s.peerAddress)!;
    const other = all.find((r) => r.router === s.peer && r.peerAddress === s.localAddress);
    if (mine && mine.state === 'Established' && other && other.state !== 'Established') return { ...mine, state: other.state };
    return mine;
  });
}

/**
 * After a restart: polls until every session of `device` is Established or the deadline passes,
 * so a restart command reports when its device is really back, not when its daemons started.
 */
export async function waitSessions(
  driver: Driver,
  topo: Topology,
  device: string,
  opts: { timeoutMs: number; signal?: AbortSignal; progress?: Progress },
): Promise<{ established: number; expected: number; ms: number; notUp: string[] }> {
  const started = Date.now();
  opts.progress?.({ type: 'step', id: 'sessions', label: `Wait for ${device}'s BGP sessions`, state: 'running' });
  for (;;) {
    // Only this device's agent or bgpd is asked, every 200 ms: not the whole fabric.
    const rows = (await collectPeerRows(driver, topo, false, device)).filter((r) => r.expected);
    const notUp = rows.filter((r) => r.state !== 'Established').map((r) => `${r.peer} ${r.state}`);
    if (!notUp.length || Date.now() - started >= opts.timeoutMs || opts.signal?.aborted) {
      const s = { established: rows.length - notUp.length, expected: rows.length, ms: Date.now() - started, notUp };
      opts.progress?.({ type: 'step', id: 'sessions', label: `${device}: ${s.established}/${s.expected} sessions Established`, state: notUp.length ? 'fail' : 'ok', elapsedMs: s.ms });
      return s;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
