// LB-IPAM and service advertisement on the model, as the 1.14 operator and agent decide them
// (no lab: pure functions over a parsed topology).
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../lab/topology/load.js';
import { TopologySchema, type Topology } from '../../lab/topology/schema.js';
import { validateTopology } from '../../lab/topology/validate.js';
import { lbIpam } from '../../lab/services/lbipam.js';
import { servicePaths } from '../../lab/cilium/services.js';
import { desiredAgentOf } from '../../lab/cilium/desired.js';

const base = loadTopology('cilium-bgp-lb');
const edit = (f: (t: Topology) => void): Topology => {
  const t = structuredClone(base);
  f(t);
  return TopologySchema.parse(t);
};
const ip = (t: Topology, svc: string) => lbIpam(t).allocations.get(`default/${svc}`);

describe('LB-IPAM (1.14)', () => {
  it('first free address of the pool, never its network address; a requested IP honoured', () => {
    expect([ip(base, 'web')!.ip, ip(base, 'web-local')!.ip]).toEqual(['10.1.100.1', '10.1.100.2']);
    const t = edit((x) => void (x.services![0]!.annotations = { 'io.cilium/lb-ipam-ips': '10.1.100.77' }));
    expect(ip(t, 'web')).toMatchObject({ ip: '10.1.100.77', pool: 'lb-pool', condition: { reason: 'satisfied', status: 'True' } });
    expect(ip(t, 'web-local')!.ip).toBe('10.1.100.1');
  });

  it('reports no_pool, pool_selector_mismatch, already_allocated and out_of_ips as the Service condition', () => {
    const outside = edit((x) => void (x.services![1]!.loadBalancerIP = '10.9.9.9'));
    expect(ip(outside, 'web-local')!.condition).toMatchObject({ type: 'io.cilium/lb-ipam-request-satisfied', status: 'False', reason: 'no_pool' });
    const picky = edit((x) => {
      x.lbIPPools![0]!.serviceSelector = { matchLabels: { tier: 'gold' } };
      x.services![1]!.loadBalancerIP = '10.1.100.9';
    });
    expect(ip(picky, 'web-local')!.condition).toMatchObject({ reason: 'pool_selector_mismatch' });
    expect(ip(picky, 'web')!.condition).toMatchObject({ reason: 'no_pool', message: 'There are no enabled CiliumLoadBalancerIPPools that match this service' });
    const taken = edit((x) => void (x.services![1]!.loadBalancerIP = '10.1.100.1'));
    expect(ip(taken, 'web-local')).toMatchObject({ ip: undefined, condition: { reason: 'already_allocated', message: "IP '10.1.100.1' has already been allocated to another service" } });
    const tiny = edit((x) => void (x.lbIPPools![0]!.cidrs = [{ cidr: '10.1.100.0/30' }]));
    expect(ip(tiny, 'web')!.ip).toBe('10.1.100.1');
    expect(ip(tiny, 'web-local')).toMatchObject({ ip: '10.1.100.2' });
    const full = edit((x) => {
      x.lbIPPools![0]!.cidrs = [{ cidr: '10.1.100.0/30' }];
      x.services!.push({ ...x.services![0]!, name: 'web3' });
    });
    expect(ip(full, 'web3')!.condition).toMatchObject({ reason: 'out_of_ips' });
  });

  it('the newer of two overlapping pools is marked conflicting and allocates nothing', () => {
    const t = edit((x) => void x.lbIPPools!.push({ name: 'lb-pool-2', cidrs: [{ cidr: '10.1.100.128/25' }], disabled: false }));
    const s = lbIpam(t).pools.find((p) => p.name === 'lb-pool-2')!;
    expect(s.conflict).toMatchObject({ type: 'io.cilium/conflict', status: 'True', reason: 'cidr_overlap', message: "Pool conflicts since CIDR '10.1.100.128/25' overlaps CIDR '10.1.100.0/24' from IP Pool 'lb-pool'" });
    expect(s.used).toBe(0);
    expect(lbIpam(t).pools[0]!.conflict).toBeUndefined();
  });

  it('the version spells the ranges: blocks refused on 1.14, cidrs refused from 1.18', () => {
    const blocks = edit((x) => void (x.lbIPPools![0] = { name: 'lb-pool', blocks: [{ cidr: '10.1.100.0/24' }], disabled: false }));
    expect(validateTopology(blocks).map((i) => i.path)).toEqual(['lbIPPools[0].blocks']);
    const v118 = edit((x) => void (x.cilium.version = '1.18.0'));
    expect(validateTopology(v118).map((i) => i.path)).toContain('lbIPPools[0].cidrs');
  });
});

describe('service advertisement (1.14 serviceSelector)', () => {
  const node = (t: Topology, n: string) => t.cluster.nodes.find((x) => x.name === n)!;
  it('nil serviceSelector advertises nothing, {} everything; Local only where an endpoint runs', () => {
    const req = (selector: object | undefined) => ({ selector, addresses: ['LoadBalancerIP' as const], source: 'test' });
    expect(servicePaths(base, node(base, 'cilium-bgp-worker'), req(undefined))).toEqual([]);
    expect(servicePaths(base, node(base, 'cilium-bgp-worker'), req({})).map((p) => p.prefix)).toEqual(['10.1.100.1/32']);
    expect(servicePaths(base, node(base, 'cilium-bgp-worker2'), req({})).map((p) => p.prefix)).toEqual(['10.1.100.1/32', '10.1.100.2/32']);
    const agent = desiredAgentOf(base, 'cilium-bgp-worker3');
    expect(agent?.state === 'configured' && agent.agent.instances[0]!.paths.map((p) => `${p.prefix} ${p.reason}`)).toEqual([
      '10.98.3.0/24 PodCIDR', '10.1.100.1/32 Service default/web LoadBalancerIP', '10.1.100.2/32 Service default/web-local LoadBalancerIP',
    ]);
    const none = edit((x) => void (x.workloads![0]!.replicas = 0));
    expect(servicePaths(none, node(none, 'cilium-bgp-worker3'), req({})).map((p) => p.prefix)).toEqual(['10.1.100.1/32']);
  });
});
