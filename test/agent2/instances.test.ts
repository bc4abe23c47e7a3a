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
import type { BgpRoutesResult, RoutesResult, StatusResult } from '../../commands/results.js';

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
async function state(router: string, ip: string, on = d): Promise<string | undefined> {
  return (JSON.parse(await on.vtysh(router, `show bgp neighbors ${ip} json`)) as Record<string, { bgpState?: string }>)[ip]?.bgpState;
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

// Two v2 bgpInstances on rack0's nodes (Cilium 1.18), both advertising the pod CIDR: rack0-65005
// to leaf0, rack0-500 to spine0 (iBGP across the leaf). `routes <node>` reads each instance's own
// gobgpd and lists the pod CIDR once per instance, with its name, local ASN and its own peer
// (from the desired state, not the merged peers of every instance). Under --fast-connect only the
// first instance can listen on the node's port 179: the second one's session is opened by the
// node, as in Cilium, and `status` says which sessions those are.
describe('node views cover every BGP instance (v2, two bgpInstances)', () => {
  const lab2 = labName('agent-inst2');
  const file2 = join(dir, 'two-inst-v2.yaml');
  const d2 = new EmbeddedDriver(lab2, new LocalRunner());
  let s2: ReturnType<typeof session>;
  const INSTANCES = [
    { instance: 'rack0-65005', localAs: 65005, peer: '10.1.5.1' },
    { instance: 'rack0-500', localAs: 500, peer: '10.1.10.2' },
  ];

  function topologyV2(): string {
    const t = parse(readFileSync(join(TOPOLOGIES_DIR, 'cilium-bgp-v2.yaml'), 'utf8'));
    t.name = 'two-inst-v2';
    t.routers.find((r: { name: string }) => r.name === 'spine0').neighbors.push(...RACK0.map((n) => ({ address: n.ip, asn: 500, description: `${n.node} rack0-500` })));
    t.cilium.bgpClusterConfigs[0].bgpInstances.push({ name: 'rack0-500', localASN: 500, peers: [{ name: 'spine0', peerAddress: '10.1.10.2', peerASN: 500, peerConfigRef: { name: 'rack0-peer' } }] });
    return stringify(t);
  }

  beforeAll(async () => {
    writeFileSync(file2, topologyV2());
    s2 = session(lab2, file2);
    // --no-wait: spine0's direct iBGP path to the pod CIDRs is shorter than leaf0's, so leaf1
    // rightly keeps one of its two paths to rack0: the lab's ECMP expectation is not the point here.
    await ok(s2, 'up --fast-connect --pods-per-node 1 --no-wait');
  }, 120_000);
  afterAll(async () => {
    d2.agents.close();
    await s2.run('down');
    await s2.close();
  }, 60_000);

  it('routes <node> lists the pod CIDR advertised by each instance, with its instance, local ASN and own peers', async () => {
    const { routesText } = await import('../../src/render/routes.js');
    for (const n of RACK0) {
      const r = await ok<RoutesResult>(s2, `routes ${n.node}`);
      const pod = (r.advertised ?? []).filter((a) => a.prefix === n.cidr);
      expect(pod.map((a) => ({ instance: a.instance, localAs: a.localAs, peers: a.peers, nexthop: a.nexthop }))).toEqual(INSTANCES.map((x) => ({ instance: x.instance, localAs: x.localAs, peers: [x.peer], nexthop: n.ip })));
      // The text as `cilium bgp routes advertised` prints it: a row per instance (VRouter) and peer.
      const text = routesText(r, { color: false, width: 200 }).split('\n').map((l) => l.trim().split(/\s+/));
      expect(text).toContainEqual(['VRouter', 'Instance', 'Peer', 'Prefix', 'NextHop']);
      for (const x of INSTANCES) expect(text).toContainEqual([String(x.localAs), x.instance, x.peer, n.cidr, n.ip]);
    }
  });

  it("bgp <node> --advertised asks each instance for its own neighbor's adj-out and tags the rows", async () => {
    const n = RACK0[0]!;
    await eventually(async () => (await state('spine0', n.ip, d2)) === 'Established' && (await state('leaf0', n.ip, d2)) === 'Established', 40_000, 500);
    const r = await eventually(async () => {
      const x = await ok<BgpRoutesResult>(s2, `bgp ${n.node} --advertised`);
      return x.routes.filter((row) => row.prefix === n.cidr).length === 2 ? x : false;
    }, 15_000, 300);
    expect(r.routes.filter((row) => row.prefix === n.cidr).map((row) => ({ neighbor: row.neighbor, instance: row.instance, localAs: row.localAs }))).toEqual(
      INSTANCES.map((x) => ({ neighbor: x.peer, instance: x.instance, localAs: x.localAs })),
    );
    const spine = await ok<BgpRoutesResult>(s2, `bgp ${n.node} --neighbor 10.1.10.2 --advertised`);
    expect(spine.localAs).toBe(500);
  }, 60_000);

  it('under --fast-connect the second instance has no listener: the node opens its session, and status names it', async () => {
    const st = await ok<StatusResult>(s2, 'status');
    expect(st.connectMode?.mode).toBe('fast-connect');
    expect(st.connectMode?.nodeOpens).toEqual(RACK0.map((n) => ({ node: n.node, instance: 'rack0-500', localAs: 500, peerAddress: '10.1.10.2' })));
    expect(st.connectMode?.description).toContain('2 sessions of further instances have no listener');
    for (const n of RACK0) {
      await eventually(async () => (await state('spine0', n.ip, d2)) === 'Established', 40_000, 500);
      // spine0's end is its port 179: the node connected (nothing listens for rack0-500 on the node).
      const nb = (JSON.parse(await d2.vtysh('spine0', `show bgp neighbors ${n.ip} json`)) as Record<string, { portLocal?: number; hostForeign?: string }>)[n.ip];
      expect(nb).toMatchObject({ portLocal: 179, hostForeign: n.ip });
    }
  }, 90_000);
});
