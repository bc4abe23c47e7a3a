// Issue 13, "the same objects in v2 form (1.18) give the same routes": cilium-bgp-lb-v2 is
// cilium-bgp-lb with the peering policies replaced by CiliumBGPClusterConfig / PeerConfig /
// Advertisement (advertisementType Service, addresses LoadBalancerIP, a selector). Every node
// wants the same service /32s as in the v2alpha1 form, and on one real lab spine0 and leaf1 route
// them with the same next hops cilium-bgp-lb's own test expects (test/services/lb.test.ts):
// externalTrafficPolicy Local is honoured by the v2 reconciler (only rack1, where the endpoints run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, labName, ok, session } from '../helpers/lab.js';
import type { RoutesResult } from '../../commands/results.js';
import { loadTopology } from '../../lab/topology/load.js';
import { desiredAgents } from '../../lab/cilium/desired.js';

const CLUSTER_IP = '10.1.100.1/32';
const LOCAL_IP = '10.1.100.2/32';
const lab = labName('agent-lbv2');
const s = session(lab, 'cilium-bgp-lb-v2');

/** Per node, the service prefixes its agent announces, with next hop and reason. */
function servicePaths(name: string): Record<string, string[]> {
  return Object.fromEntries(
    desiredAgents(loadTopology(name)).map((i) => [
      i.node,
      i.state === 'configured' ? i.agent.instances.flatMap((x) => x.paths.filter((p) => p.reason.startsWith('Service')).map((p) => `${p.prefix} via ${p.nexthop} (${p.reason})`)).sort() : [],
    ]),
  );
}

async function hops(router: string, prefix: string): Promise<string[]> {
  const t = await ok<RoutesResult>(s, `routes ${router}`);
  return (t.routes.find((r) => r.selected && r.prefix === prefix)?.nexthops.filter((n) => n.active).map((n) => n.ip!) ?? []).sort();
}

beforeAll(async () => {
  await ok(s, 'up --fast-connect');
}, 120_000);
afterAll(async () => {
  await s.run('down');
  await s.close();
}, 60_000);

describe('cilium-bgp-lb in v2 form (1.18)', () => {
  it('is a v2-only model and every node wants the same service /32s as the v2alpha1 form', () => {
    const v2 = loadTopology('cilium-bgp-lb-v2');
    expect(v2.cilium.version).toBe('1.18.0');
    expect(v2.cilium.bgpPeeringPolicies).toEqual([]);
    const want = servicePaths('cilium-bgp-lb');
    expect(servicePaths('cilium-bgp-lb-v2')).toEqual(want);
    // Local: only rack1's nodes (the Deployment's) announce web-local.
    expect(Object.entries(want).filter(([, ps]) => ps.some((p) => p.startsWith(LOCAL_IP))).map(([n]) => n).sort()).toEqual(['cilium-bgp-worker2', 'cilium-bgp-worker3']);
  });

  it('spine0 routes the Cluster /32 over both leaves and the Local /32 over leaf1 only; leaf1 over its two nodes', async () => {
    await eventually(async () => (await hops('spine0', CLUSTER_IP)).length === 2 && (await hops('leaf1', LOCAL_IP)).length === 2, 20_000, 300);
    expect(await hops('spine0', CLUSTER_IP)).toEqual(['10.1.10.1', '10.1.34.1']);
    expect(await hops('spine1', CLUSTER_IP)).toEqual(['10.1.11.1', '10.1.12.1']);
    expect(await hops('spine0', LOCAL_IP)).toEqual(['10.1.34.1']);
    expect(await hops('leaf1', LOCAL_IP)).toEqual(['10.1.8.10', '10.1.8.11']);
    expect(await hops('leaf0', LOCAL_IP)).not.toContain('10.1.5.10');
  }, 30_000);
});
