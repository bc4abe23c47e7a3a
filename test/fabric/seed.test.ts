// The seed fabric, embedded: the seed's ECMP picture, all 8 sessions, the full check, and
// the faults an operator meets (a spine's bgpd down, a wrong peerASN, a dead node agent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, labName, ok, run, session } from '../helpers/lab.js';
import type { CheckResult, InterfacesResult, PeersResult, RoutesResult } from '../../commands/results.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { labDir } from '../../lab/drivers/index.js';
import { planFabric } from '../../lab/drivers/embedded/fabric.js';
import { connectModeOf, restartAgent } from '../../lab/drivers/embedded/ops.js';
import type { DesiredAgent } from '../../lab/cilium/desired.js';
import { readFileSync } from 'node:fs';

const lab = labName('seed');
const s = session(lab);
const driver = new EmbeddedDriver(lab, new LocalRunner());

const hops = (r: RoutesResult, prefix: string) =>
  r.routes.find((x) => x.prefix === prefix && x.selected)?.nexthops.map((n) => `${n.ip}@${n.interface}`).sort();

beforeAll(async () => {
  await ok(s, 'up --fast-connect');
});
afterAll(async () => {
  await s.run('down');
});

describe('seed fabric', () => {
  it('leaf0 reaches rack1 pods over both spines and rack0 pods over the nodes', async () => {
    const r = await ok<RoutesResult>(s, 'routes leaf0');
    for (const p of ['10.98.2.0/24', '10.98.3.0/24']) {
      const route = r.routes.find((x) => x.prefix === p)!;
      expect(route.protocol).toBe('bgp');
      expect(route.selected).toBe(true);
      expect(hops(r, p)).toEqual(['10.1.10.2@eth1', '10.1.12.2@eth2']);
    }
    expect(hops(r, '10.98.0.0/24')).toEqual(['10.1.5.10@eth3']);
    expect(hops(r, '10.98.1.0/24')).toEqual(['10.1.5.11@eth3']);
  });

  it('routes --raw shows the vtysh text with both next hops', async () => {
    const r = await ok<RoutesResult>(s, 'routes leaf0 --raw --protocol bgp');
    expect(r.raw).toMatch(/B>\* 10\.98\.2\.0\/24 \[20\/0\] via 10\.1\.10\.2, eth1/);
    expect(r.raw).toMatch(/\*\s+via 10\.1\.12\.2, eth2/);
    expect(r.routes.every((x) => x.protocol === 'bgp')).toBe(true);
  });

  it('all 8 sessions are Established', async () => {
    const p = await ok<PeersResult>(s, 'peers');
    expect(p.peers).toHaveLength(8);
    expect(p.peers.filter((x) => x.state === 'Established')).toHaveLength(8);
    expect(p.ok).toBe(true);
    const cp = p.peers.find((x) => x.router === 'cilium-bgp-control-plane')!;
    expect(cp).toMatchObject({ localAs: 65005, peerAs: 65005, peerAddress: '10.1.5.1', kind: 'node' });
  });

  it('a node advertises its pod CIDR with itself as next hop and installs no BGP route', async () => {
    const r = await ok<RoutesResult>(s, 'routes worker2');
    expect(r.advertised).toEqual([{ prefix: '10.98.2.0/24', nexthop: '10.1.8.10', peers: ['10.1.8.1'] }]);
    expect(r.routes.find((x) => x.prefix === '0.0.0.0/0')?.nexthops[0]?.ip).toBe('10.1.8.1');
    expect(r.routes.some((x) => x.prefix === '10.98.0.0/24')).toBe(false);
  });

  it('check --http --nodeport passes', async () => {
    const c = await ok<CheckResult>(s, 'check --http --nodeport');
    expect(c.failed).toBe(0);
    expect(c.ok).toBe(true);
    expect(c.results.filter((r) => r.kind === 'ping')).toHaveLength(12);
    expect(c.results.filter((r) => r.kind === 'http').every((r) => r.answer === r.to)).toBe(true);
    expect(c.results.filter((r) => r.kind === 'nodeport')).toHaveLength(4);
  });

  it('check --from one pod probes every other pod, not itself', async () => {
    const c = await ok<CheckResult>(s, 'check --from app-worker2 --http');
    expect(c.results.filter((r) => r.kind === 'ping').map((r) => r.to).sort()).toEqual(['app-control-plane', 'app-worker', 'app-worker3']);
    expect(c.results.filter((r) => r.kind === 'http')).toHaveLength(3);
    expect(c.results.every((r) => r.from === 'app-worker2' && r.to !== 'app-worker2')).toBe(true);
  });

  it('check --capture shows cross-rack traffic on both spine links of leaf0', async () => {
    const c = await ok<CheckResult>(s, 'check --http --capture leaf0:eth1,eth2');
    expect(c.ok).toBe(true);
    const icmp = c.capture!.packets.filter((p) => p.protocol === 'ICMP' || p.protocol === 'TCP');
    expect(icmp.some((p) => p.interface === 'eth1')).toBe(true);
    expect(icmp.some((p) => p.interface === 'eth2')).toBe(true);
    // Every cross-rack pod pair is a conversation seen both ways on leaf0's spine links.
    const crossRack = c.capture!.conversations.filter((cv) => /app-(control-plane|worker)$/.test(cv.aName ?? '') !== /app-(control-plane|worker)$/.test(cv.bName ?? ''));
    expect(crossRack.filter((cv) => Object.keys(cv.aToB).length && Object.keys(cv.bToA).length).length).toBeGreaterThanOrEqual(4);
  });

  it('interfaces leaf0: addresses, state, MTU as intended, and the far end of each link', async () => {
    const r = await ok<InterfacesResult>(s, 'interfaces leaf0');
    const row = (n: string) => r.interfaces.find((i) => i.name === n)!;
    expect([row('eth1'), row('eth2'), row('eth3')].map((i) => [i.addresses[0], i.mtu, i.intendedMtu, i.peer, i.adminUp && i.carrier])).toEqual([
      ['10.1.10.1/24', 9000, 9000, 'spine0:eth1', true],
      ['10.1.12.1/24', 9000, 9000, 'spine1:eth1', true],
      ['10.1.5.1/24', 9000, 9000, 'br-leaf0 (rack0 LAN)', true],
    ]);
    const node = await ok<InterfacesResult>(s, 'interfaces worker2');
    expect(node.interfaces.find((i) => i.name === 'lxc0')!.peer).toBe('app-worker2:eth0');
  });

  it('trace names every hop from rack0 to rack1', async () => {
    const t = await ok<{ ok: boolean; hops: { device?: string; ip: string }[] }>(s, 'trace app-control-plane app-worker3');
    expect(t.ok).toBe(true);
    const path = t.hops.map((h) => h.device);
    // One coherent ECMP path: leaf1 answers on its link to the spine the probes crossed.
    expect(t.hops[3]!.ip).toBe(path[2] === 'spine0' ? '10.1.34.1' : '10.1.11.1');
    expect(path[0]).toBe('cilium-bgp-control-plane');
    expect(path[1]).toBe('leaf0');
    expect(['spine0', 'spine1']).toContain(path[2]);
    expect(path.slice(3)).toEqual(['leaf1', 'cilium-bgp-worker3', 'app-worker3']);
  });

  it('spine0 bgpd down: leaf0 keeps one next hop for rack1 and check still passes', async () => {
    const pid = readFileSync(`${labDir(lab)}/spine0/bgpd.pid`, 'utf8').trim();
    process.kill(Number(pid), 'SIGKILL');
    try {
      await eventually(async () => {
        const r = await ok<RoutesResult>(s, 'routes leaf0');
        return hops(r, '10.98.2.0/24')?.join() === '10.1.12.2@eth2' && hops(r, '10.98.3.0/24')?.join() === '10.1.12.2@eth2';
      });
      const c = await ok<CheckResult>(s, 'check');
      expect(c.ok).toBe(true);
      const st = await ok<{ state: string; drift: string[] }>(s, 'status');
      expect(st.state).toBe('degraded');
      expect(st.drift.join('\n')).toMatch(/spine0: bgpd is not running/);
    } finally {
      await driver.startRouterDaemon('spine0', 'bgpd');
    }
    await eventually(async () => hops(await ok<RoutesResult>(s, 'routes leaf0'), '10.98.2.0/24')?.length === 2);
  });

  it('a wrong peerASN keeps that node down and check names it', async () => {
    // The node's agent reconfigured through its API with one wrong neighbor ASN, then put back.
    const rec = (await driver.record())!;
    const agent = planFabric(lab, rec.topology, rec.podsPerNode).agents.find((a) => a.node === 'cilium-bgp-worker2')!;
    const good = agent.desired;
    const restart = async (next: DesiredAgent) => {
      try {
        await driver.agents.configure(agent, connectModeOf(rec), { fresh: false, next });
      } finally {
        driver.agents.close();
      }
    };
    const wrong = structuredClone(good);
    expect(wrong.instances[0]!.neighbors[0]!.peerASN).toBe(65008);
    wrong.instances[0]!.neighbors[0]!.peerASN = 65000;
    await restart(wrong);
    try {
      // The restarted agent is not Established at once, but leaf1 drops the old session and the
      // withdrawal reaches leaf0 a few ms later: wait for both before checking traffic.
      const p = await eventually(async () => {
        const [peers, l0] = await Promise.all([ok<PeersResult>(s, 'peers'), ok<RoutesResult>(s, 'routes leaf0')]);
        const down = peers.peers.find((x) => x.router === 'cilium-bgp-worker2')?.state !== 'Established';
        return down && !l0.routes.some((r) => r.prefix === '10.98.2.0/24') ? peers : undefined;
      });
      expect(p.ok).toBe(false);
      const c = (await run(s, 'check --from app-control-plane --to app-worker2 --wait 1'));
      expect(c.exitCode).toBe(1);
      const res = c.result as CheckResult;
      expect(res.ok).toBe(false);
      expect(res.results[0]!.diagnosis).toMatch(/cilium-bgp-worker2's BGP session to leaf1 is (Idle|Active|Connect|OpenSent|Down)/);
    } finally {
      await restart(good);
    }
    await eventually(async () => (await ok<PeersResult>(s, 'peers')).ok);
  });

  it("a dead node agent's pod CIDR disappears from the leaves", async () => {
    const dir = `${labDir(lab)}/cilium-bgp-worker3`;
    process.kill(Number(readFileSync(`${dir}/gobgpd.pid`, 'utf8').trim()), 'SIGKILL');
    try {
      await eventually(async () => {
        const [l0, l1] = await Promise.all([ok<RoutesResult>(s, 'routes leaf0'), ok<RoutesResult>(s, 'routes leaf1')]);
        return !l0.routes.some((r) => r.prefix === '10.98.3.0/24') && !l1.routes.some((r) => r.prefix === '10.98.3.0/24');
      });
    } finally {
      await restartAgent(driver, (await driver.record())!, 'cilium-bgp-worker3');
    }
    await eventually(async () => hops(await ok<RoutesResult>(s, 'routes leaf0'), '10.98.3.0/24')?.length === 2);
  });
});
