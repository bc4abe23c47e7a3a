// One GoBGP server per BGP instance, as Cilium's agent runs one BgpServer per virtual router
// (local ASN): rack0's nodes are in two virtual routers, 65005 to leaf0 (pod CIDR) and 500 to
// spine0 (a LoadBalancer IP, iBGP across the leaf). Each instance runs in its own gobgpd with its
// own API socket; both sessions come up; each instance's paths reach its own peer only; the
// `gobgp` reads reach the instance that has the neighbor; `down` leaves no gobgpd behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { eventually, labName, ok, session } from '../helpers/lab.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { TOPOLOGIES_DIR } from '../../lab/topology/load.js';
import { labDir } from '../../lab/drivers/index.js';

const lab = labName('agent-inst');
const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-agent2-'));
const file = join(dir, 'two-vr.yaml');
const RACK0 = [
  { node: 'cilium-bgp-control-plane', ip: '10.1.5.10', cidr: '10.98.0.0/24' },
  { node: 'cilium-bgp-worker', ip: '10.1.5.11', cidr: '10.98.1.0/24' },
];
const LB_IP = '10.1.100.1/32';

/** cilium-bgp-lb without client, Local service and workload; rack0 in a second virtual router (AS 500) peering with spine0. */
function topology(): string {
  const t = parse(readFileSync(join(TOPOLOGIES_DIR, 'cilium-bgp-lb.yaml'), 'utf8'));
  t.name = 'two-vr';
  delete t.client;
  t.workloads = [];
  t.services = t.services.filter((s: { name: string }) => s.name === 'web').map((s: object) => ({ ...s, labels: { advertise: 'vr2' } }));
  for (const r of t.routers) if (r.name === 'spine0' || r.name === 'spine1') r.interfaces = r.interfaces.filter((i: { name: string }) => i.name !== 'eth3');
  for (const r of t.routers) if (r.networks) r.networks = r.networks.filter((n: string) => n !== '10.1.50.0/24');
  const spine0 = t.routers.find((r: { name: string }) => r.name === 'spine0');
  spine0.neighbors.push(...RACK0.map((n) => ({ address: n.ip, asn: 500, description: `${n.node} vr 500` })));
  const [rack0, rack1] = t.cilium.bgpPeeringPolicies;
  delete rack0.virtualRouters[0].serviceSelector;
  delete rack1.virtualRouters[0].serviceSelector;
  rack0.virtualRouters.push({ localASN: 500, exportPodCIDR: false, serviceSelector: { matchLabels: { advertise: 'vr2' } }, neighbors: [{ peerAddress: '10.1.10.2/32', peerASN: 500 }] });
  return stringify(t);
}

const d = new EmbeddedDriver(lab, new LocalRunner());
let s: ReturnType<typeof session>;

interface FrrPath { peer?: { peerId?: string }; nexthops?: { ip?: string }[] }
async function pathsFrom(router: string, prefix: string): Promise<string[]> {
  const j = JSON.parse(await d.vtysh(router, `show bgp ipv4 unicast ${prefix} json`)) as { paths?: FrrPath[] };
  return (j.paths ?? []).map((p) => p.peer?.peerId ?? '?').sort();
}
async function state(router: string, ip: string): Promise<string | undefined> {
  return (JSON.parse(await d.vtysh(router, `show bgp neighbors ${ip} json`)) as Record<string, { bgpState?: string }>)[ip]?.bgpState;
}
async function gobgpds(): Promise<string[]> {
  const r = await d.runner.run(['ps', '-eo', 'args=']);
  return r.stdout.split('\n').filter((l) => l.includes('/usr/bin/gobgpd') && l.includes(`${labDir(lab)}/`));
}

beforeAll(async () => {
  writeFileSync(file, topology());
  s = session(lab, file);
  await ok(s, 'up --fast-connect --pods-per-node 1 --no-wait');
}, 120_000);
afterAll(async () => {
  d.agents.close();
  await s.run('down');
  await s.close();
}, 60_000);

describe('one gobgpd per BGP instance', () => {
  it('runs two gobgpds on each rack0 node, one on each rack1 node, each on its own API socket', async () => {
    const procs = await gobgpds();
    const sockets = procs.map((l) => /unix:\/\/(\S+)/.exec(l)?.[1]);
    expect(new Set(sockets).size).toBe(procs.length);
    expect(procs.length).toBe(6);
    for (const sock of sockets) expect(Buffer.byteLength(sock!)).toBeLessThanOrEqual(107);
    // status sees every instance's daemon.
    const health = await d.health();
    expect(health.find((h) => h.name === RACK0[0]!.node)?.daemons.map((x) => [x.name, x.alive])).toEqual([['gobgpd', true], ['gobgpd-1', true]]);
    expect(health.find((h) => h.name === 'cilium-bgp-worker2')?.daemons.map((x) => x.name)).toEqual(['gobgpd']);
  });

  it('brings up both sessions of a two-instance node: leaf0 (AS 65005) and spine0 (AS 500)', async () => {
    await eventually(async () => {
      for (const n of RACK0) if ((await state('leaf0', n.ip)) !== 'Established' || (await state('spine0', n.ip)) !== 'Established') return false;
      return true;
    }, 40_000, 500);
  }, 45_000);

  it("puts each instance's paths on its own peer only", async () => {
    await eventually(async () => (await pathsFrom('spine0', LB_IP)).length >= 2, 20_000, 300);
    // The LB /32 of instance 500 reaches spine0 straight from both nodes; leaf0 gets it only from the spines.
    const spine = await pathsFrom('spine0', LB_IP);
    for (const n of RACK0) expect(spine).toContain(n.ip);
    const leaf = await pathsFrom('leaf0', LB_IP);
    for (const n of RACK0) expect(leaf).not.toContain(n.ip);
    // The pod CIDR of instance 65005 reaches leaf0 from its node; spine0 has it only through leaf0.
    for (const n of RACK0) {
      expect(await pathsFrom('leaf0', n.cidr)).toContain(n.ip);
      const sp = await eventually(async () => { const p = await pathsFrom('spine0', n.cidr); return p.length ? p : false; });
      expect(sp).not.toContain(n.ip);
      expect(sp).toContain('10.1.10.1');
    }
  }, 30_000);

  it('reads reach the gobgpd that has the neighbor, or the instance asked for', async () => {
    const n = RACK0[0]!.node;
    const spine = JSON.parse(await d.gobgp(n, ['-j', 'neighbor', '10.1.10.2'])) as { conf?: { peer_asn?: number } };
    expect(spine.conf?.peer_asn).toBe(500);
    const leaf = JSON.parse(await d.gobgp(n, ['-j', 'neighbor', '10.1.5.1'])) as { conf?: { peer_asn?: number } };
    expect(leaf.conf?.peer_asn).toBe(65005);
    // What each instance sends its peer: the LB /32 to spine0 only, the pod CIDR to leaf0 only.
    const toSpine = JSON.parse(await d.gobgp(n, ['-j', 'neighbor', '10.1.10.2', 'adj-out'])) as Record<string, unknown>;
    expect(Object.keys(toSpine)).toEqual([LB_IP]);
    const toLeaf = JSON.parse(await d.gobgp(n, ['-j', 'neighbor', '10.1.5.1', 'adj-out'])) as Record<string, unknown>;
    expect(Object.keys(toLeaf)).toContain(RACK0[0]!.cidr);
    expect(Object.keys(toLeaf)).not.toContain(LB_IP);
    // An instance by index: the second gobgpd has the spine as its only neighbor.
    const peers = JSON.parse(await d.gobgp(n, ['-j', 'neighbor'], { instance: 1 })) as { conf?: { neighbor_address?: string } }[];
    expect(peers.map((p) => p.conf?.neighbor_address)).toEqual(['10.1.10.2']);
  });

  it('agent restart restarts every instance; down leaves no gobgpd', async () => {
    const n = RACK0[1]!;
    const before = (await gobgpds()).length;
    await ok(s, `agent restart ${n.node}`);
    expect((await gobgpds()).length).toBe(before);
    await eventually(async () => (await state('spine0', n.ip)) === 'Established' && (await state('leaf0', n.ip)) === 'Established', 40_000, 500);
    await ok(s, 'down');
    expect(await gobgpds()).toEqual([]);
  }, 60_000);
});
