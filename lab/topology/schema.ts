// The topology model: one source of truth from which every artifact of the real lab
// and the embedded lab is derived. Field names follow the seed (FABRIC.md) and the
// Kubernetes objects they stand for, so a reader can map each one back.
import { z } from 'zod';
import { LabelSelectorSchema, clientField, lbIpPoolsField, servicesField, workloadsField } from './services-schema.js';

// Every string here becomes something else: a namespace or interface name in an `ip -batch`
// line, a path under the lab directory, a Kubernetes name or label, an image reference, a word
// in a rendered shell script. Each is checked against what it becomes, so nothing later needs
// quoting to be safe, and numbers are range-checked where they are read.
/** Sizes of the model, checked before anything expensive (the generator's largest fabric fits). */
export const LIMITS = {
  routers: 64,
  interfaces: 64,
  networks: 64,
  neighbors: 256,
  links: 512,
  racks: 64,
  nodes: 256,
  labels: 32,
  policies: 64,
  virtualRouters: 4,
  policyNeighbors: 64,
  helmValues: 256,
} as const;
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;
const cidr = z
  .string()
  .regex(new RegExp(`^${IPV4}/(3[0-2]|[12]?\\d)$`), 'expected an IPv4 prefix such as 10.1.5.0/24 (octets 0-255, length 0-32)');
const ipv4 = z.string().regex(new RegExp(`^${IPV4}$`), 'expected an IPv4 address such as 10.1.5.1 (octets 0-255)');
/** A device, rack or bridge name: a DNS-1123 label (also a namespace suffix and a directory name). */
const name = z
  .string()
  .max(63, 'at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and dashes');
/** Kubernetes object names that get suffixes (pods `<demo>-<node>-<i>`, kind nodes `<cluster>-worker2`). */
const kubeName = (max: number) => name.max(max, `at most ${max} characters (it gets suffixes)`);
const asn = z.number().int().min(1).max(4294967294);
const port = z.number().int().min(1).max(65535);
const seconds = (min: number) => z.number().int().min(min).max(65535);
// Interface names end up in `ip -batch` lines and FRR configs: one word of at most IFNAMSIZ-1.
const IFNAME = '[A-Za-z0-9][A-Za-z0-9_.-]{0,14}';
const ifname = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an interface name: letters, digits, dots, dashes or underscores')
  .superRefine((s, ctx) => {
    if (s.length > 15) ctx.addIssue({ code: 'custom', message: `interface name "${s.slice(0, 40)}" is ${s.length} characters; Linux allows 15` });
  });
const endpoint = z.string().regex(new RegExp(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?:${IFNAME}$`), 'expected device:interface, such as leaf0:eth1');
/** FRR's and VyOS's `description`: one line of plain words, at most 80 characters. */
const description = z.string().max(80).regex(/^[A-Za-z0-9 _.,:;\/()#@+=-]*$/, 'one line of letters, digits, spaces and . , : ; / ( ) # @ + = - _').optional();
/** An OCI image reference: [registry[:port]/]path[:tag][@digest]. */
const image = z
  .string()
  .max(255)
  .regex(
    /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    'expected an image reference such as burlyluo/nettool:latest',
  );
// Kubernetes label rules: key = [DNS-1123 subdomain prefix/]name (name <= 63), value <= 63.
const LABEL_NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const labelKey = z
  .string()
  .max(317)
  .regex(new RegExp(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${LABEL_NAME}$`), 'a Kubernetes label key such as rack or topology.kubernetes.io/zone');
const labelValue = z.string().regex(new RegExp(`^(${LABEL_NAME})?$`), 'a Kubernetes label value: at most 63 letters, digits, dashes, dots, underscores');
const labels = z.record(labelKey, labelValue).refine((r) => Object.keys(r).length <= LIMITS.labels, `at most ${LIMITS.labels} labels`);
// Helm values are rendered as `--set a.b=c` words of a shell script: plain keys, one-line scalars.
const helmKey = z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'a helm value key: letters, digits, dashes, underscores');
const helmScalar = z.union([z.string().max(256).regex(/^[^\x00-\x1f\x7f'"\\`$]*$/, 'one line without quotes, backslashes, $ or backticks'), z.number(), z.boolean(), z.null()]);
type HelmValue = z.infer<typeof helmScalar> | HelmValue[] | { [k: string]: HelmValue };
const helmValue: z.ZodType<HelmValue> = z.lazy(() => z.union([helmScalar, z.array(helmScalar).max(64), z.record(helmKey, helmValue)]));

const list = <T extends z.ZodType>(item: T, max: number, what: string) => z.array(item).max(max, `at most ${max} ${what}`);

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
  image: image.default('burlyluo/vyos:1.4.0'),
  interfaces: list(InterfaceSchema, LIMITS.interfaces, 'interfaces').min(1),
  /** Prefixes announced with `network` statements. */
  networks: list(cidr, LIMITS.networks, 'networks').default([]),
  neighbors: list(RouterNeighborSchema, LIMITS.neighbors, 'neighbors').default([]),
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
  labels: labels.default({}),
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
  connectRetryTimeSeconds: seconds(1).optional(),
  holdTimeSeconds: seconds(3).optional(),
  keepAliveTimeSeconds: seconds(1).optional(),
});

export const PeeringPolicySchema = z.object({
  name,
  nodeSelector: z.object({ matchLabels: labels }),
  virtualRouters: list(
    z.object({
      localASN: asn,
      exportPodCIDR: z.boolean().default(false),
      serviceSelector: LabelSelectorSchema.optional(),
      neighbors: list(PeeringNeighborSchema, LIMITS.policyNeighbors, 'neighbors').min(1),
    }),
    LIMITS.virtualRouters,
    'virtual routers',
  ).min(1),
});

export const TopologySchema = z.object({
  name: kubeName(40),
  routers: list(RouterSchema, LIMITS.routers, 'routers').min(1),
  links: list(LinkSchema, LIMITS.links, 'links').default([]),
  racks: list(RackSchema, LIMITS.racks, 'racks').min(1),
  cluster: z.object({
    name: kubeName(40),
    image: image.default('kindest/node:v1.27.3'),
    podSubnet: cidr,
    disableDefaultCNI: z.boolean().default(true),
    nodes: list(NodeSchema, LIMITS.nodes, 'nodes').min(1),
  }),
  cilium: z.object({
    version: z.string().regex(/^v?\d{1,3}\.\d{1,3}\.\d{1,3}(-[0-9A-Za-z.]{1,32})?$/, 'expected a Cilium version such as 1.14.0-rc.0').default('1.14.0-rc.0'),
    /** Helm values as the seed passes them with --set (dotted keys expanded). */
    helmValues: z
      .record(helmKey, helmValue)
      .refine((v) => countLeaves(v) <= LIMITS.helmValues, `at most ${LIMITS.helmValues} helm values`)
      .default({}),
    bgpPeeringPolicies: list(PeeringPolicySchema, LIMITS.policies, 'policies').default([]),
  }),
  demo: z.object({
    /** The DaemonSet, Service, app label and pod-name prefix. */
    name: kubeName(40).default('app'),
    image: image.default('burlyluo/nettool'),
    containerName: name.default('nettool'),
    podsPerNode: z.number().int().min(1).max(16).default(1),
    service: z.object({
      port: port.default(8080),
      targetPort: port.default(80),
      nodePort: z.number().int().min(30000, 'a NodePort is 30000-32767').max(32767, 'a NodePort is 30000-32767').default(32000),
    }),
  }),
  lbIPPools: lbIpPoolsField,
  services: servicesField,
  workloads: workloadsField,
  client: clientField,
});

function countLeaves(v: unknown): number {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.values(v).reduce<number>((n, x) => n + countLeaves(x), 0) : 1;
}

/**
 * The list sizes of a parsed but unchecked model over LIMITS, found in microseconds: checked
 * before the schema and the semantic validation, whose cost grows with the square of a list.
 */
export function sizeIssues(raw: unknown): { path: string; message: string }[] {
  const at = (v: unknown, ...keys: string[]) => keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);
  const out: { path: string; message: string }[] = [];
  const check = (path: string, v: unknown, max: number, what: string) => {
    if (Array.isArray(v) && v.length > max) out.push({ path, message: `${v.length} ${what}; at most ${max}` });
  };
  check('routers', at(raw, 'routers'), LIMITS.routers, 'routers');
  check('links', at(raw, 'links'), LIMITS.links, 'links');
  check('racks', at(raw, 'racks'), LIMITS.racks, 'racks');
  check('cluster.nodes', at(raw, 'cluster', 'nodes'), LIMITS.nodes, 'nodes');
  check('cilium.bgpPeeringPolicies', at(raw, 'cilium', 'bgpPeeringPolicies'), LIMITS.policies, 'policies');
  return out;
}

export type Topology = z.infer<typeof TopologySchema>;
export type Router = z.infer<typeof RouterSchema>;
export type RouterInterface = z.infer<typeof InterfaceSchema>;
export type RouterNeighbor = z.infer<typeof RouterNeighborSchema>;
export type Rack = z.infer<typeof RackSchema>;
export type KubeNode = z.infer<typeof NodeSchema>;
export type PeeringPolicy = z.infer<typeof PeeringPolicySchema>;
export type Link = z.infer<typeof LinkSchema>;
