// A leaf/spine fabric of any size in the seed's shape; 2 spines × 2 leaves reproduces the
// seed's addresses and AS numbers. The plan is documented in README.md ("Topology address plan").
import type { KubeNode, Router, Topology } from './schema.js';

export interface GenerateOptions {
  spines: number;
  leaves: number;
  nodesPerRack: number;
  podsPerNode?: number;
  name?: string;
}

export const GENERATE_LIMITS = { spines: 8, leaves: 24, nodesPerRack: 16 };

/** The seed's irregular link subnets (third octet), by [leaf][spine]. */
const SEED_LINK_OCTET = [
  [10, 12],
  [34, 11],
];

export const spineAsn = (i: number) => 500 + 300 * i;
export const leafAsn = (j: number) => 65005 + 3 * j;
/** Rack LAN: the seed's 10.1.5/10.1.8, then 10.1.(100+j) (10.1.11 is a seed link). */
export const rackSubnet = (j: number) => `10.1.${j === 0 ? 5 : j === 1 ? 8 : 100 + j}.0/24`;
/** Leaf j – spine i link: the seed's four, then 10.2.(10j+i).0/24; leaf .1, spine .2. */
export const linkPrefix = (j: number, i: number) => {
  const seed = SEED_LINK_OCTET[j]?.[i];
  return seed !== undefined ? `10.1.${seed}` : `10.2.${10 * j + i}`;
};

/** kind's own node names: <cluster>-control-plane, <cluster>-worker, <cluster>-worker2, … */
function kindNodeName(cluster: string, index: number): string {
  if (index === 0) return `${cluster}-control-plane`;
  return index === 1 ? `${cluster}-worker` : `${cluster}-worker${index}`;
}

export function generateTopology(o: GenerateOptions): Topology {
  const name = o.name ?? 'cilium-bgp';
  const S = o.spines;
  const L = o.leaves;
  const K = o.nodesPerRack;
  const rackIf = `eth${S + 1}`;
  const net = (subnet: string) => subnet.replace(/\.0\/24$/, '');
  const nodes: KubeNode[] = [];
  for (let j = 0; j < L; j++)
    for (let k = 0; k < K; k++) {
      const index = j * K + k;
      nodes.push({
        name: kindNodeName(name, index),
        role: index === 0 ? 'control-plane' : 'worker',
        ip: `${net(rackSubnet(j))}.${10 + k}`,
        labels: { rack: `rack${j}` },
        rack: `rack${j}`,
        server: `server${index + 1}`,
        interface: 'net0',
      });
    }
  const spines: Router[] = Array.from({ length: S }, (_, i) => ({
    name: `spine${i}`,
    role: 'spine',
    asn: spineAsn(i),
    routerId: `${linkPrefix(0, i)}.2`,
    image: 'burlyluo/vyos:1.4.0',
    interfaces: Array.from({ length: L }, (_, j) => ({ name: `eth${j + 1}`, address: `${linkPrefix(j, i)}.2/24`, mtu: 9000, description: `to leaf${j}` })),
    networks: Array.from({ length: L }, (_, j) => `${linkPrefix(j, i)}.0/24`),
    neighbors: Array.from({ length: L }, (_, j) => ({ address: `${linkPrefix(j, i)}.1`, asn: leafAsn(j), description: `leaf${j}`, routeReflectorClient: false, nexthopSelf: false })),
  }));
  const leaves: Router[] = Array.from({ length: L }, (_, j) => {
    const gw = `${net(rackSubnet(j))}.1`;
    return {
      name: `leaf${j}`,
      role: 'leaf',
      asn: leafAsn(j),
      routerId: gw,
      image: 'burlyluo/vyos:1.4.0',
      interfaces: [
        ...Array.from({ length: S }, (_, i) => ({ name: `eth${i + 1}`, address: `${linkPrefix(j, i)}.1/24`, mtu: 9000, description: `to spine${i}` })),
        { name: rackIf, address: `${gw}/24`, mtu: 9000, description: `rack${j} LAN` },
      ],
      networks: [rackSubnet(j), ...Array.from({ length: S }, (_, i) => `${linkPrefix(j, i)}.0/24`)],
      neighbors: [
        ...Array.from({ length: S }, (_, i) => ({ address: `${linkPrefix(j, i)}.2`, asn: spineAsn(i), description: `spine${i}`, routeReflectorClient: false, nexthopSelf: false })),
        // iBGP to each node of the rack; the leaf reflects routes between them, next hop itself (as leaf0).
        ...nodes.filter((n) => n.rack === `rack${j}`).map((n) => ({ address: n.ip, asn: leafAsn(j), description: n.name, routeReflectorClient: true, nexthopSelf: true })),
      ],
      nat: { source: '10.1.0.0/16', outboundInterface: 'eth0' },
    };
  });
  return {
    name,
    routers: [...spines, ...leaves],
    links: Array.from({ length: L }, (_, j) => Array.from({ length: S }, (_, i) => ({ endpoints: [`leaf${j}:eth${i + 1}`, `spine${i}:eth${j + 1}`] as [string, string] }))).flat(),
    racks: Array.from({ length: L }, (_, j) => ({ name: `rack${j}`, bridge: `br-leaf${j}`, leaf: `leaf${j}`, leafInterface: rackIf, subnet: rackSubnet(j), gateway: `${net(rackSubnet(j))}.1` })),
    cluster: { name, image: 'kindest/node:v1.27.3', podSubnet: '10.98.0.0/16', disableDefaultCNI: true, nodes },
    cilium: {
      version: '1.14.0-rc.0',
      helmValues: {
        debug: { enabled: true, verbose: 'datapath' },
        monitorAggregation: 'none',
        cluster: { name },
        tunnel: 'disabled',
        ipam: { mode: 'kubernetes' },
        ipv4NativeRoutingCIDR: '10.0.0.0/8',
        k8s: { requireIPv4PodCIDR: true },
        bgpControlPlane: { enabled: true },
      },
      bgpPeeringPolicies: Array.from({ length: L }, (_, j) => ({
        name: `rack${j}`,
        nodeSelector: { matchLabels: { rack: `rack${j}` } },
        virtualRouters: [{ localASN: leafAsn(j), exportPodCIDR: true, neighbors: [{ peerAddress: `${net(rackSubnet(j))}.1/24`, peerASN: leafAsn(j) }] }],
      })),
      bgpClusterConfigs: [], bgpPeerConfigs: [], bgpAdvertisements: [], bgpNodeConfigOverrides: [],
    },
    demo: { name: 'app', image: 'burlyluo/nettool', containerName: 'nettool', podsPerNode: o.podsPerNode ?? 1, service: { port: 8080, targetPort: 80, nodePort: 32000 } },
  };
}
