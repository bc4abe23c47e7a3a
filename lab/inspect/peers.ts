// Every BGP session end of the fabric, read from the routers (FRR JSON) and the node agents
// (GoBGP -j), matched against what the topology expects. Works on any driver.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { PeerRow } from '../../commands/results.js';
import { ownerOfAddress, sessionEnds, sessions } from '../topology/model.js';
import { parseBgpSummary } from '../parsers/frr.js';
import { formatUptime, parseGobgpNeighbors } from '../parsers/gobgp.js';

/** All session ends (both sides of each session), expected ones first. */
export async function collectPeerRows(driver: Driver, topo: Topology, routersOnly = false): Promise<PeerRow[]> {
  const ends = sessionEnds(topo).filter((e) => !routersOnly || e.deviceKind === 'router');
  const devices = [...new Set(ends.map((e) => `${e.deviceKind}:${e.device}`))];
  const rows = await Promise.all(
    devices.map(async (d): Promise<PeerRow[]> => {
      const [kind, name] = d.split(':') as ['router' | 'node', string];
      const expected = ends.filter((e) => e.device === name);
      let seen: { peerAddress: string; peerAs: number; localAs: number; state: string; uptimeSeconds?: number; uptime?: string; received: number; advertised: number }[] = [];
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
        };
      });
      for (const s of seen) {
        if (expected.some((e) => e.peerAddress === s.peerAddress)) continue;
        out.push({ router: name, kind, localAs: s.localAs, peerAs: s.peerAs, peerAddress: s.peerAddress, peer: ownerOfAddress(topo, s.peerAddress)?.name ?? s.peerAddress, state: s.state, uptime: s.uptime || formatUptime(s.uptimeSeconds), uptimeSeconds: s.uptimeSeconds, received: s.received, advertised: s.advertised, expected: false });
      }
      return out;
    }),
  );
  return rows.flat();
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
