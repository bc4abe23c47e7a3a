// Generated fabrics validate and render at every size; each broken-topology case names its field.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseTopology } from '../../lab/topology/load.js';
import { generateTopology } from '../../lab/topology/generate.js';
import { renderAll } from '../../lab/render/index.js';
import { sessions } from '../../lab/topology/model.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';

const seedText = readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8');

describe('topo generate', () => {
  const sizes: [number, number, number][] = [[1, 1, 1], [1, 2, 1], [2, 2, 2], [2, 3, 2], [3, 4, 3], [4, 8, 4]];
  for (const [s, l, k] of sizes) {
    it(`${s} spines × ${l} leaves × ${k} nodes validates and renders`, () => {
      const yaml = stringify(generateTopology({ spines: s, leaves: l, nodesPerRack: k }));
      const { topology, issues } = parseTopology(yaml, `gen-${s}x${l}x${k}`);
      expect(issues).toEqual([]);
      const t = topology!;
      expect(t.cluster.nodes).toHaveLength(l * k);
      // eBGP leaf–spine once per pair, plus one iBGP session per node.
      expect(sessions(t)).toHaveLength(s * l + l * k);
      const files = renderAll(t);
      expect(files.filter((f) => f.kind === 'vyos')).toHaveLength(s + l);
      const names = t.routers.flatMap((r) => r.interfaces.map((i) => i.name));
      const clab = parse(files.find((f) => f.path === 'clab.yaml')!.content);
      const ports = clab.topology.links.flatMap((x: { endpoints: string[] }) => x.endpoints.map((e) => e.split(':')[1]!));
      for (const n of [...names, ...ports]) expect(n.length, n).toBeLessThanOrEqual(15);
    });
  }

  it('2×2×2 is the seed fabric (addresses, AS numbers, links, policies), nexthop-self on every leaf', () => {
    const gen = generateTopology({ spines: 2, leaves: 2, nodesPerRack: 2 });
    const seed = parseTopology(seedText).topology!;
    const plain = (t: typeof seed) => ({
      routers: t.routers.map((r) => ({ name: r.name, asn: r.asn, routerId: r.routerId, interfaces: r.interfaces.map((i) => [i.name, i.address]), networks: r.networks, neighbors: r.neighbors.map((n) => [n.address, n.asn, n.routeReflectorClient]) })),
      links: t.links,
      racks: t.racks,
      nodes: t.cluster.nodes,
      policies: t.cilium.bgpPeeringPolicies,
      helm: t.cilium.helmValues,
    });
    expect(plain(gen)).toEqual(plain(seed));
    for (const leaf of gen.routers.filter((r) => r.role === 'leaf'))
      expect(leaf.neighbors.filter((n) => n.routeReflectorClient).every((n) => n.nexthopSelf)).toBe(true);
  });
});

/** The seed topology with one change, validated. */
function broken(change: (t: Record<string, any>) => void) {
  const t = parse(seedText);
  change(t);
  return parseTopology(stringify(t), 'broken.yaml');
}

const paths = (r: ReturnType<typeof parseTopology>) => r.issues.map((i) => i.path);

describe('invalid topologies name the field', () => {
  it('duplicate device name', () => {
    const r = broken((t) => (t.routers[1].name = 'spine0'));
    expect(r.topology).toBeUndefined();
    expect(paths(r)).toContain('routers[1].name');
  });
  it('duplicate address', () => {
    const r = broken((t) => (t.cluster.nodes[1].ip = '10.1.5.10'));
    expect(paths(r)).toContain('cluster.nodes[1].ip');
    expect(r.issues.find((i) => i.path === 'cluster.nodes[1].ip')!.message).toMatch(/duplicate address 10\.1\.5\.10/);
  });
  it('overlapping subnets', () => {
    const r = broken((t) => (t.racks[1].subnet = '10.1.0.0/16'));
    expect(r.issues.find((i) => i.path === 'racks[1].subnet')?.message).toMatch(/overlaps/);
    const p = broken((t) => (t.cluster.podSubnet = '10.1.0.0/16'));
    expect(p.issues.find((i) => i.path === 'cluster.podSubnet')?.message).toMatch(/overlaps/);
  });
  it('link endpoint that does not exist', () => {
    const r = broken((t) => (t.links[0].endpoints[0] = 'leaf9:eth1'));
    expect(r.issues.find((i) => i.path === 'links[0].endpoints[0]')?.message).toMatch(/no router named "leaf9"/);
    const i = broken((t) => (t.links[0].endpoints[1] = 'spine0:eth7'));
    expect(i.issues.find((x) => x.path === 'links[0].endpoints[1]')?.message).toMatch(/has no interface eth7/);
  });
  it('interface name over 15 characters', () => {
    const r = broken((t) => (t.routers[0].interfaces[0].name = 'ethernet-uplink0'));
    expect(r.issues.find((i) => i.path === 'routers[0].interfaces[0].name')?.message).toMatch(/16 characters/);
  });
  it('names and descriptions that would not stay one word or one line', () => {
    const r = broken((t) => (t.routers[0].interfaces[0].name = 'eth1 up'));
    expect(r.issues.find((i) => i.path === 'routers[0].interfaces[0].name')?.message).toMatch(/an interface name/);
    const l = broken((t) => (t.links[0].endpoints[0] = 'leaf0:eth1\nnetns add x'));
    expect(paths(l)).toContain('links[0].endpoints[0]');
    const d = broken((t) => (t.routers[2].neighbors[0].description = 'spine0\n neighbor 10.1.10.2 shutdown'));
    expect(d.issues.find((i) => i.path === 'routers[2].neighbors[0].description')?.message).toMatch(/one line/);
  });
  it('node not in its rack subnet', () => {
    const r = broken((t) => (t.cluster.nodes[0].ip = '10.1.8.20'));
    expect(r.issues.find((i) => i.path === 'cluster.nodes[0].ip')?.message).toMatch(/not on rack0's subnet/);
  });
  it('peering policy neighbor matching no router address', () => {
    const r = broken((t) => (t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].peerAddress = '10.1.5.99/24'));
    expect(paths(r)).toContain('cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].peerAddress');
  });
  it('peerASN differing from the router AS', () => {
    const r = broken((t) => (t.cilium.bgpPeeringPolicies[1].virtualRouters[0].neighbors[0].peerASN = 65005));
    expect(r.issues.find((i) => i.path === 'cilium.bgpPeeringPolicies[1].virtualRouters[0].neighbors[0].peerASN')?.message).toMatch(/AS 65008, not 65005/);
  });
  it('pod CIDRs that do not fit podSubnet', () => {
    const r = broken((t) => (t.cluster.nodes[2].podCIDR = '10.99.2.0/24'));
    expect(r.issues.find((i) => i.path === 'cluster.nodes[2].podCIDR')?.message).toMatch(/does not fit podSubnet/);
    const small = broken((t) => (t.cluster.podSubnet = '10.98.0.0/23'));
    expect(small.issues.find((i) => i.path === 'cluster.podSubnet')?.message).toMatch(/4 nodes need 4 \/24s/);
  });
  it('issues carry the line of the field', () => {
    const r = broken((t) => (t.cluster.nodes[0].ip = '10.1.8.20'));
    expect(r.issues.find((i) => i.path === 'cluster.nodes[0].ip')?.line).toBeGreaterThan(1);
  });
  it('YAML syntax error with file:line:col', () => {
    const text = seedText.replace('  - name: spine1\n', '  - name: spine1\n   role: [spine\n');
    const r = parseTopology(text, 'bad.yaml');
    expect(r.topology).toBeUndefined();
    const line = seedText.split('\n').indexOf('  - name: spine1') + 2;
    expect(r.issues[0]!.message).toMatch(new RegExp(`bad\\.yaml:${line}:\\d+`));
  });
});
