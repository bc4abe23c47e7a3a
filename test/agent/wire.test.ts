// The embedded node agent at the wire, as Cilium's: gobgpd configured through its API, no
// listener on the node (the node opens every session), origin IGP, the node's own hostname,
// policy edits reconciled in place (a path withdrawn without a session reset, timers that reach
// the session), graceful restart keeping the leaf's route across an agent restart; and the
// opt-in `up --fast-connect` (a listener on the node, the leaf connects).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, labName, ok, session } from '../helpers/lab.js';
import type { StatusResult, UpResult } from '../../commands/results.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { planFabric } from '../../lab/drivers/embedded/fabric.js';
import { connectModeOf, killDaemon } from '../../lab/drivers/embedded/ops.js';

const lab = labName('agent-wire');
const s = session(lab);
const d = new EmbeddedDriver(lab, new LocalRunner());

const NODES = [
  { node: 'cilium-bgp-control-plane', ip: '10.1.5.10', leaf: 'leaf0', leafIp: '10.1.5.1', cidr: '10.98.0.0/24' },
  { node: 'cilium-bgp-worker', ip: '10.1.5.11', leaf: 'leaf0', leafIp: '10.1.5.1', cidr: '10.98.1.0/24' },
  { node: 'cilium-bgp-worker2', ip: '10.1.8.10', leaf: 'leaf1', leafIp: '10.1.8.1', cidr: '10.98.2.0/24' },
  { node: 'cilium-bgp-worker3', ip: '10.1.8.11', leaf: 'leaf1', leafIp: '10.1.8.1', cidr: '10.98.3.0/24' },
];

interface FrrNeighbor {
  bgpState: string;
  hostname?: string;
  portLocal?: number;
  portForeign?: number;
  bgpTimerUpEstablishedEpoch?: number;
  bgpTimerHoldTimeMsecs?: number;
  connectionsEstablished?: number;
  connectionsDropped?: number;
  gracefulRestartInfo?: { remoteGrMode?: string };
}

async function neighbor(driver: EmbeddedDriver, leaf: string, ip: string): Promise<FrrNeighbor> {
  return (JSON.parse(await driver.vtysh(leaf, `show bgp neighbors ${ip} json`)) as Record<string, FrrNeighbor>)[ip]!;
}

async function leafPaths(driver: EmbeddedDriver, leaf: string, cidr: string): Promise<{ origin: string; stale?: boolean }[]> {
  return ((JSON.parse(await driver.vtysh(leaf, `show bgp ipv4 unicast ${cidr} json`)) as { paths?: { origin: string; stale?: boolean }[] }).paths ?? []);
}

async function ss(driver: EmbeddedDriver, node: string, args: string[]): Promise<string[]> {
  const r = await driver.exec(node, ['ss', '-Htn', ...args]);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l.trim());
}

let upResult: UpResult;
beforeAll(async () => {
  upResult = await ok<UpResult>(s, 'up --pods-per-node 1');
}, 120_000);
afterAll(async () => {
  d.agents.close();
  await s.run('down');
  await s.close();
}, 60_000);

describe('the node agent at the wire (default: as Cilium)', () => {
  it('has no TCP 179 listener on any node, and every node opened its own session', async () => {
    expect(upResult.converged).toBe(true);
    for (const n of NODES) {
      expect(await ss(d, n.node, ['-l', 'sport = :179'])).toEqual([]);
      // The node's end is an ephemeral port toward the leaf's 179: the node connected.
      const est = await ss(d, n.node, ['state', 'established', 'dport = :179']);
      expect(est.join('\n')).toContain(`${n.leafIp}:179`);
      const nb = await neighbor(d, n.leaf, n.ip);
      expect(nb.bgpState).toBe('Established');
      expect(nb.portLocal).toBe(179);
      expect(nb.portForeign).not.toBe(179);
    }
    const st = await ok<StatusResult>(s, 'status');
    expect(st.connectMode?.mode).toBe('cilium');
  });

  it("advertises the pod CIDR with origin IGP and the node's own hostname", async () => {
    for (const n of NODES) {
      const paths = await leafPaths(d, n.leaf, n.cidr);
      expect(paths.map((p) => p.origin)).toEqual(['IGP']);
      expect((await neighbor(d, n.leaf, n.ip)).hostname).toBe(n.node);
    }
  });

  it('exportPodCIDR false withdraws the route and leaves the session alone; true brings it back', async () => {
    const rack0 = NODES.filter((n) => n.leaf === 'leaf0');
    const before = await Promise.all(rack0.map((n) => neighbor(d, 'leaf0', n.ip)));
    await ok(s, 'policy set rack0 exportPodCIDR false');
    await eventually(async () => (await Promise.all(rack0.map((n) => leafPaths(d, 'leaf0', n.cidr)))).every((p) => p.length === 0));
    await ok(s, 'policy set rack0 exportPodCIDR true');
    await eventually(async () => (await Promise.all(rack0.map((n) => leafPaths(d, 'leaf0', n.cidr)))).every((p) => p.length === 1));
    const after = await Promise.all(rack0.map((n) => neighbor(d, 'leaf0', n.ip)));
    after.forEach((a, i) => {
      expect(a.bgpState).toBe('Established');
      // FRR derives the epoch from the session's uptime at the time of asking: ±1 s of rounding.
      // The counters below are the proof that no reset happened.
      expect(Math.abs(a.bgpTimerUpEstablishedEpoch! - before[i]!.bgpTimerUpEstablishedEpoch!)).toBeLessThanOrEqual(1);
      expect(a.connectionsEstablished).toBe(before[i]!.connectionsEstablished);
      expect(a.connectionsDropped).toBe(before[i]!.connectionsDropped);
    });
  });

  it("a policy's timers reach the session: hold 6 s is the leaf's negotiated hold", async () => {
    const worker2 = NODES[2]!;
    expect((await neighbor(d, 'leaf1', worker2.ip)).bgpTimerHoldTimeMsecs).toBe(9000);
    await ok(s, 'policy set rack1 keepAliveTimeSeconds 2');
    await ok(s, 'policy set rack1 holdTimeSeconds 6');
    await eventually(async () => {
      const nb = await neighbor(d, 'leaf1', worker2.ip);
      return nb.bgpState === 'Established' && nb.bgpTimerHoldTimeMsecs === 6000;
    }, 40_000);
  }, 60_000);

  it('graceful restart: the leaf keeps the route (stale) while the agent restarts, and traffic flows', async () => {
    const worker = NODES[1]!;
    const rec = (await d.record())!;
    const agent = planFabric(lab, rec.topology, rec.podsPerNode).agents.find((a) => a.node === worker.node)!;
    const withGr = structuredClone(agent.desired);
    withGr.instances[0]!.neighbors[0]!.gracefulRestart = { enabled: true, restartTimeSeconds: 120 };
    try {
      await d.agents.configure(agent, connectModeOf(rec), { fresh: false, next: withGr });
    } finally {
      d.agents.close();
    }
    await eventually(async () => {
      const nb = await neighbor(d, 'leaf0', worker.ip);
      return nb.bgpState === 'Established' && nb.gracefulRestartInfo?.remoteGrMode === 'Restart';
    }, 40_000);
    await killDaemon(d, worker.node, 'gobgpd', 'KILL');
    await eventually(async () => (await neighbor(d, 'leaf0', worker.ip)).bgpState !== 'Established');
    expect((await leafPaths(d, 'leaf0', worker.cidr)).map((p) => p.stale)).toEqual([true]);
    const ping = await d.exec('app-worker2', ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', '10.98.1.10']);
    expect(ping.stdout).toMatch(/3 received/);
    await d.startAgent({ ...agent, desired: withGr }, connectModeOf(rec));
    await eventually(async () => {
      const [nb, paths] = await Promise.all([neighbor(d, 'leaf0', worker.ip), leafPaths(d, 'leaf0', worker.cidr)]);
      return nb.bgpState === 'Established' && paths.length === 1 && !paths[0]!.stale;
    }, 40_000);
  }, 90_000);

  it('without graceful restart the route goes with the agent, and `agent restart` brings it back from the intent', async () => {
    const cp = NODES[0]!;
    await killDaemon(d, cp.node, 'gobgpd', 'KILL');
    await eventually(async () => (await leafPaths(d, 'leaf0', cp.cidr)).length === 0);
    await ok(s, `agent restart ${cp.node}`);
    await eventually(async () => (await leafPaths(d, 'leaf0', cp.cidr)).length === 1, 30_000);
    expect(await ss(d, cp.node, ['-l', 'sport = :179'])).toEqual([]);
  }, 60_000);
});

describe('up --fast-connect', () => {
  const fast = labName('agent-fast');
  const fs = session(fast);
  const fd = new EmbeddedDriver(fast, new LocalRunner());
  afterAll(async () => {
    await fs.run('down');
    await fs.close();
  }, 60_000);

  it('converges with a listener on each node and the leaves opening the sessions', async () => {
    const up = await ok<UpResult>(fs, 'up --fast-connect --pods-per-node 1');
    expect(up.converged).toBe(true);
    for (const n of NODES) {
      expect((await ss(fd, n.node, ['-l', 'sport = :179'])).length).toBeGreaterThan(0);
      const nb = await neighbor(fd, n.leaf, n.ip);
      expect(nb.bgpState).toBe('Established');
      expect(nb.portForeign).toBe(179);
      expect(nb.hostname).toBe(n.node);
    }
    expect((await ok<StatusResult>(fs, 'status')).connectMode?.mode).toBe('fast-connect');
  }, 90_000);
});
