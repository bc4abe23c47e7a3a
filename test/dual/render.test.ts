// cilium-bgp-dual rendered for the real lab (kind + containerlab + VyOS + Cilium 1.14), checked
// against the upstream schemas in ../shared/oracles; and the model refuses IPv6 garbage.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadTopology, parseTopology } from '../../lab/topology/load.js';
import { renderAll } from '../../lab/render/index.js';
import { clabValidator, compileSchema, crdSchema, helmKeyPaths, kindGoTypes, oracle, unknownGoFields, unknownKeys, valuePaths } from '../foundation/oracles.js';

const dual = loadTopology('cilium-bgp-dual');
const files = renderAll(dual);
const content = (path: string) => files.find((f) => f.path === path)!.content;

describe('cilium-bgp-dual renders for the real lab', () => {
  it('kind: ipFamily dual, both pod subnets, both node IPs; only fields of kind v1alpha4', () => {
    const cfg = parse(content('kind-config.yaml'));
    expect(unknownGoFields(cfg, 'Cluster', kindGoTypes())).toEqual([]);
    expect(oracle('kind/v1alpha4-types.go')).toContain('DualStackFamily ClusterIPFamily = "dual"');
    expect(cfg.networking).toMatchObject({ ipFamily: 'dual', podSubnet: '10.98.0.0/16,fd00:98::/56' });
    expect(cfg.nodes[2].kubeadmConfigPatches[0]).toContain('node-ip: 10.1.8.10,fd00:10:1:8::10');
  });

  it('Cilium 1.14: helm values with ipv6.enabled are keys of the chart; IPv6 peerAddress neighbors valid against the CRD', () => {
    const values = parse(content('cilium-values.yaml'));
    expect(values.ipv6).toEqual({ enabled: true });
    const keys = helmKeyPaths(oracle('cilium/v1.14/values.yaml'));
    expect(valuePaths(values).filter((p) => !keys.has(p))).toEqual([]);
    const objs = files.filter((f) => f.kind === 'cilium-policy').flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS()));
    const schema = crdSchema('cilium/v1.14/ciliumbgppeeringpolicies.yaml', 'v2alpha1');
    const validate = compileSchema(schema);
    expect(objs).toHaveLength(2);
    for (const o of objs) {
      expect(validate(o), JSON.stringify(validate.errors)).toBe(true);
      expect(unknownKeys(o, schema)).toEqual([]);
    }
    expect(objs[1].spec.virtualRouters[0].neighbors.map((n: { peerAddress: string }) => n.peerAddress)).toEqual(['10.1.8.1/24', 'fd00:10:1:8::1/128']);
  });

  it('containerlab: valid against clab.schema.json, nodes get their IPv6 and IPv6 default route', () => {
    const clab = parse(content('clab.yaml'));
    const validate = clabValidator();
    expect(validate(clab), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(clab)).toContain('ip -6 addr add fd00:10:1:5::10/64 dev net0');
    expect(JSON.stringify(clab)).toContain('ip -6 route replace default via fd00:10:1:5::1');
  });

  it('VyOS: an IPv6 address per interface, address-family ipv6-unicast per IPv6 neighbor, IPv4 neighbors ipv4-unicast only', () => {
    const leaf0 = files.find((f) => f.path.includes('leaf0') && f.content.includes('protocols'))!.content;
    expect(leaf0).toContain('address fd00:10:1:10::1/64');
    const block = (addr: string) => leaf0.slice(leaf0.indexOf(`neighbor ${addr} {`), leaf0.indexOf('remote-as', leaf0.indexOf(`neighbor ${addr} {`)));
    expect(block('fd00:10:1:5::10')).toContain('ipv6-unicast');
    expect(block('fd00:10:1:5::10')).not.toContain('ipv4-unicast');
    expect(block('10.1.5.10')).toContain('ipv4-unicast');
    expect(block('10.1.5.10')).not.toContain('ipv6-unicast');
    expect(leaf0).toMatch(/ipv6-unicast \{\s+network fd00:10:1:5::\/64/);
  });
});

describe('the IPv6 fields are checked', () => {
  const seed = loadTopology('cilium-bgp');
  const withAddr6 = (a: string) => {
    const t = structuredClone(dual) as unknown as { routers: { interfaces: { address6?: string }[] }[] };
    t.routers[0]!.interfaces[0]!.address6 = a;
    return parseTopology(JSON.stringify(t)).issues.map((i) => i.message).join('\n');
  };
  it('refuses garbage, dotted, zoned and over-long forms; keeps RFC 5952 form', () => {
    for (const bad of ['fd00::1::2/64', 'fd00:10:1:10::2', 'fd00::1/129', 'fd00::1.2.3.4/64', 'fe80::1%eth0/64', 'g::1/64', `${'f'.repeat(60)}/64`, 'fd00:10:1:10::2/64/1'])
      expect(withAddr6(bad), bad).toMatch(/expected an IPv6 prefix such as|at most 43 characters/);
    const t = parseTopology(JSON.stringify({ ...structuredClone(dual), cluster: { ...dual.cluster, podSubnet6: 'FD00:0098:0000::/56' } })).topology!;
    expect(t.cluster.podSubnet6).toBe('fd00:98::/56');
  });
  it('an IPv4-only topology has no IPv6 anywhere after parsing (the seed is as before)', () => {
    expect(JSON.stringify(seed)).not.toMatch(/address6|ip6|podSubnet6|subnet6/);
  });
});
