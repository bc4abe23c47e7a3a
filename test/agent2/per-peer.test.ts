// Per-peer advertisements (v2, Cilium 1.18), as Cilium's v2 reconcilers make them with GoBGP
// routing policies: rack0's nodes run one instance (AS 500) with two peers, leaf0 (eBGP) and
// spine0 (iBGP across the leaf), each with its own CiliumBGPPeerConfig selecting its own
// CiliumBGPAdvertisement: the pod CIDR with community 65000:100 to leaf0, the LoadBalancer IP
// with local preference 150 and community 65000:200 to spine0. FRR's JSON on each peer shows
// only its own prefix, with its own attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { eventually, labName, ok, session } from '../helpers/lab.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { TOPOLOGIES_DIR } from '../../lab/topology/load.js';

const lab = labName('agent-peer');
const file = join(mkdtempSync(join(tmpdir(), 'bgp-lab-agent2-')), 'per-peer.yaml');
const RACK0 = [
  { node: 'cilium-bgp-control-plane', ip: '10.1.5.10', cidr: '10.98.0.0/24' },
  { node: 'cilium-bgp-worker', ip: '10.1.5.11', cidr: '10.98.1.0/24' },
];
const LB_IP = '10.1.100.1/32';

function topology(): string {
  const t = parse(readFileSync(join(TOPOLOGIES_DIR, 'cilium-bgp-v2.yaml'), 'utf8'));
  t.name = 'per-peer';
  const leaf0 = t.routers.find((r: { name: string }) => r.name === 'leaf0');
  for (const n of leaf0.neighbors) if (RACK0.some((x) => x.ip === n.address)) Object.assign(n, { asn: 500, routeReflectorClient: false, nexthopSelf: false });
  t.routers.find((r: { name: string }) => r.name === 'spine0').neighbors.push(...RACK0.map((n) => ({ address: n.ip, asn: 500, description: n.node })));
  const c = t.cilium;
  c.bgpClusterConfigs[0].bgpInstances = [
    {
      name: 'rack0-500',
      localASN: 500,
      peers: [
        { name: 'leaf0', peerAddress: '10.1.5.1', peerASN: 65005, peerConfigRef: { name: 'to-leaf' } },
        { name: 'spine0', peerAddress: '10.1.10.2', peerASN: 500, peerConfigRef: { name: 'to-spine' } },
      ],
    },
  ];
  c.bgpPeerConfigs.push(
    { name: 'to-leaf', families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: { to: 'leaf' } } }] },
    { name: 'to-spine', families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: { to: 'spine' } } }] },
  );
  c.bgpAdvertisements.push(
    { name: 'pod-cidr-leaf', labels: { to: 'leaf' }, advertisements: [{ advertisementType: 'PodCIDR', attributes: { communities: { standard: ['65000:100'] } } }] },
    {
      name: 'lb-spine',
      labels: { to: 'spine' },
      advertisements: [
        { advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector: { matchLabels: { advertise: 'bgp' } }, attributes: { localPreference: 150, communities: { standard: ['65000:200'] } } },
      ],
    },
  );
  t.lbIPPools = [{ name: 'lb-pool', blocks: [{ cidr: '10.1.100.0/24' }] }];
  t.services = [{ name: 'web', labels: { advertise: 'bgp' }, type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', selector: { app: 'app' }, port: 80, targetPort: 80 }];
  return stringify(t);
}

const d = new EmbeddedDriver(lab, new LocalRunner());
let s: ReturnType<typeof session>;

interface FrrPath { peer?: { peerId?: string }; locPrf?: number; community?: { string?: string } }
async function pathFrom(router: string, prefix: string, peer: string): Promise<FrrPath | undefined> {
  const j = JSON.parse(await d.vtysh(router, `show bgp ipv4 unicast ${prefix} json`)) as { paths?: FrrPath[] };
  return (j.paths ?? []).find((p) => p.peer?.peerId === peer);
}
async function received(router: string, peer: string): Promise<string[]> {
  const j = JSON.parse(await d.vtysh(router, 'show bgp ipv4 unicast json')) as { routes?: Record<string, { peerId?: string }[]> };
  return Object.entries(j.routes ?? {}).filter(([, ps]) => ps.some((p) => p.peerId === peer)).map(([k]) => k).sort();
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

describe('v2 per-peer advertisements (GoBGP export policies)', () => {
  it('each peer receives only the advertisement its peer config selects, with its attributes', async () => {
    for (const n of RACK0) {
      const leaf = await eventually(() => pathFrom('leaf0', n.cidr, n.ip), 30_000, 300);
      expect(leaf.community?.string).toBe('65000:100');
      const spine = await eventually(() => pathFrom('spine0', LB_IP, n.ip), 30_000, 300);
      expect(spine.locPrf).toBe(150);
      expect(spine.community?.string).toBe('65000:200');
      // Nothing else from the node: leaf0 only its pod CIDR, spine0 only the LB IP.
      expect(await received('leaf0', n.ip)).toEqual([n.cidr]);
      expect(await received('spine0', n.ip)).toEqual([LB_IP]);
    }
  }, 70_000);

  it("the node's GoBGP holds one export policy per peer, default REJECT", async () => {
    const out = await d.gobgp(RACK0[0]!.node, ['global', 'policy', 'export']);
    expect(out).toMatch(/Default:\s+reject/i);
    expect(out).toContain('cilium-lab-10.1.5.1');
    expect(out).toContain('cilium-lab-10.1.10.2');
  });
});
