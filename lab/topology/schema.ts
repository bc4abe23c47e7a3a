// The topology model: one source of truth from which every artifact of the real lab
// and the embedded lab is derived. Field names follow the seed (FABRIC.md) and the
// Kubernetes objects they stand for, so a reader can map each one back.
import { z } from 'zod';

const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'expected an IPv4 prefix such as 10.1.5.0/24');
const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'expected an IPv4 address such as 10.1.5.1');
const name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and dashes');
const asn = z.number().int().min(1).max(4294967294);
// Interface names end up in `ip -batch` lines and FRR configs: one word (validate.ts checks the length).
const IFNAME = '[A-Za-z0-9][A-Za-z0-9_.-]*';
const ifname = z.string().regex(new RegExp(`^${IFNAME}$`), 'an interface name: letters, digits, dots, dashes or underscores');
const endpoint = z.string().regex(new RegExp(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?:${IFNAME}$`), 'expected device:interface, such as leaf0:eth1');
/** FRR's `description`: one line, at most 80 characters. */
const description = z.string().max(80).regex(/^[^\r\n]*$/, 'one line').optional();

export const InterfaceSchema = z.object({
  name: ifname,
  /** Address with prefix length, e.g. 10.1.10.1/24. */
  address: cidr,
  mtu: z.number().int().min(576).max(9216).default(9000),
  description,
});

export const RouterNeighborSchema = z.object({
  address: ipv4,
  asn,
  description,
  routeReflectorClient: z.boolean().default(false),
  nexthopSelf: z.boolean().default(false),
});

export const RouterSchema = z.object({
  name,
  role: z.enum(['spine', 'leaf']),
  asn,
  routerId: ipv4,
  image: z.string().default('burlyluo/vyos:1.4.0'),
  interfaces: z.array(InterfaceSchema).min(1),
  /** Prefixes announced with `network` statements. */
  networks: z.array(cidr).default([]),
  neighbors: z.array(RouterNeighborSchema).default([]),
  /** VyOS masquerade of the rack LAN out of eth0; real lab only (the embedded lab has no eth0). */
  nat: z
    .object({ source: cidr, outboundInterface: ifname })
    .optional(),
});

export const LinkSchema = z.object({
  /** Two endpoints `device:interface`, containerlab style. */
  endpoints: z.tuple([endpoint, endpoint]),
});

export const RackSchema = z.object({
  name,
  /** Linux bridge of the rack LAN (containerlab kind: bridge). */
  bridge: name,
  leaf: name,
  /** Leaf interface on the rack LAN. */
  leafInterface: ifname.default('eth3'),
  subnet: cidr,
  gateway: ipv4,
});

export const NodeSchema = z.object({
  name,
  role: z.enum(['control-plane', 'worker']),
  ip: ipv4,
  labels: z.record(z.string(), z.string()).default({}),
  rack: name,
  /** containerlab server container sharing the kind node's network namespace. */
  server: name,
  /** Business NIC on the rack bridge. */
  interface: ifname.default('net0'),
  /** Pod CIDR; when absent, the controller manager's allocation (podSubnet split in /24s, node order). */
  podCIDR: cidr.optional(),
});

export const PeeringNeighborSchema = z.object({
  peerAddress: cidr,
  peerASN: asn,
  connectRetryTimeSeconds: z.number().int().min(1).optional(),
  holdTimeSeconds: z.number().int().min(3).optional(),
  keepAliveTimeSeconds: z.number().int().min(1).optional(),
});

export const PeeringPolicySchema = z.object({
  name,
  nodeSelector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
  virtualRouters: z
    .array(
      z.object({
        localASN: asn,
        exportPodCIDR: z.boolean().default(false),
        neighbors: z.array(PeeringNeighborSchema).min(1),
      }),
    )
    .min(1),
});

export const TopologySchema = z.object({
  name,
  routers: z.array(RouterSchema).min(1),
  links: z.array(LinkSchema).default([]),
  racks: z.array(RackSchema).min(1),
  cluster: z.object({
    name,
    image: z.string().default('kindest/node:v1.27.3'),
    podSubnet: cidr,
    disableDefaultCNI: z.boolean().default(true),
    nodes: z.array(NodeSchema).min(1),
  }),
  cilium: z.object({
    version: z.string().default('1.14.0-rc.0'),
    /** Helm values as the seed passes them with --set (dotted keys expanded). */
    helmValues: z.record(z.string(), z.unknown()).default({}),
    bgpPeeringPolicies: z.array(PeeringPolicySchema).default([]),
  }),
  demo: z.object({
    name: z.string().default('app'),
    image: z.string().default('burlyluo/nettool'),
    containerName: z.string().default('nettool'),
    podsPerNode: z.number().int().min(1).max(16).default(1),
    service: z.object({
      port: z.number().int().default(8080),
      targetPort: z.number().int().default(80),
      nodePort: z.number().int().min(30000).max(32767).default(32000),
    }),
  }),
});

export type Topology = z.infer<typeof TopologySchema>;
export type Router = z.infer<typeof RouterSchema>;
export type RouterInterface = z.infer<typeof InterfaceSchema>;
export type RouterNeighbor = z.infer<typeof RouterNeighborSchema>;
export type Rack = z.infer<typeof RackSchema>;
export type KubeNode = z.infer<typeof NodeSchema>;
export type PeeringPolicy = z.infer<typeof PeeringPolicySchema>;
export type Link = z.infer<typeof LinkSchema>;
