// The topology model: one source of truth from which every artifact of the real lab
// and the embedded lab is derived. Field names follow the seed (FABRIC.md) and the
// Kubernetes objects they stand for, so a reader can map each one back.
import { z } from 'zod';
import { CILIUM_MINORS, ciliumMinor } from '../cilium/version.js';
import { clientField, lbIpPoolsField, servicesField, workloadsField } from './services-schema.js';
import { LabelSelectorSchema, labels } from './labels.js';
export { LabelSelectorSchema } from './labels.js';
import { canonicalCidr6, canonicalIp6, isValidIp6 } from './ip.js';

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
  // 96, not 256 (the /16 pod subnet's /24s): on 2 cores, against a minute to converge, 8×16×16
  // (256 nodes) took 87–99 s, CPU-bound (its daemons alone ~70 s of CPU), and 8×16×8 (128 nodes)
  // 52–68 s, median 62 s. README "Topology address plan".
  nodes: 96,
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
// IPv6 (optional, alongside IPv4): node's parser, then kept in RFC 5952 form as FRR prints it.
const ipv6 = z
  .string()
  .max(39, 'an IPv6 address is at most 39 characters')
  .refine(isValidIp6, 'expected an IPv6 address such as fd00:10:1:5::1 (no zone, no dotted IPv4 part)')
  .transform(canonicalIp6);
const cidr6 = z
  .string()
  .max(43, 'an IPv6 prefix is at most 43 characters')
  .refine((s) => {
    const [addr, len, extra] = s.split('/');
    return extra === undefined && !!addr && isValidIp6(addr) && /^(12[0-8]|1[01]\d|[1-9]?\d)$/.test(len ?? '');
  }, 'expected an IPv6 prefix such as fd00:10:1:5::1/64 (length 0-128)')
  .transform(canonicalCidr6);
/** Either family, told apart by the colon: router neighbors, networks and policy peers. */
const anyIp = z.string().max(39).superRefine((s, ctx) => {
  const r = (s.includes(':') ? ipv6 : ipv4).safeParse(s);
  if (!r.success) ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message });
}).transform((s) => (s.includes(':') ? canonicalIp6(s) : s));
const anyCidr = z.string().max(43).superRefine((s, ctx) => {
  const r = (s.includes(':') ? cidr6 : cidr).safeParse(s);
  if (!r.success) ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message });
}).transform((s) => (s.includes(':') ? canonicalCidr6(s) : s));
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
  /** Optional IPv6 address with prefix length, e.g. fd00:10:1:10::1/64 (dual stack). */
  address6: cidr6.optional(),
  mtu: z.number().int().min(576).max(9216).default(9000),
  description,
});

export const RouterNeighborSchema = z.object({
  /** IPv4 or IPv6: an IPv6 neighbor carries ipv6-unicast only, an IPv4 one ipv4-unicast (dual stack). */
  address: anyIp,
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
  networks: list(anyCidr, LIMITS.networks, 'networks').default([]),
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
  /** Dual stack: the rack LAN's IPv6 prefix and the leaf's address on it (both or neither). */
  subnet6: cidr6.optional(),
  gateway6: ipv6.optional(),
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
  /** Dual stack: the node's IPv6 on the rack LAN (rack subnet6). */
  ip6: ipv6.optional(),
  /** IPv6 pod CIDR; when absent, podSubnet6 split in /64s in node order. */
  podCIDR6: cidr6.optional(),
});

// ---- Cilium's BGP objects (field names, defaults and limits from the CRDs in
// ../shared/oracles/cilium/*; which release has which field: lab/cilium/version.ts). The schema
// accepts every field of every modelled release (1.14–1.19); the version check in
// lab/cilium/issues.ts refuses a field or kind the topology's release does not have.
const int32 = (min: number, max = 2147483647) => z.number().int().min(min).max(max);
const BGP_COMMUNITY = /^(\d{1,5}:\d{1,5}|\d{1,10})$/;
const BGP_LARGE_COMMUNITY = /^\d{1,10}:\d{1,10}:\d{1,10}$/;
const WELL_KNOWN_COMMUNITIES = ['internet', 'planned-shut', 'accept-own', 'route-filter-translated-v4', 'route-filter-v4', 'route-filter-translated-v6', 'route-filter-v6', 'llgr-stale', 'no-llgr', 'blackhole', 'no-export', 'no-advertise', 'no-export-subconfed', 'no-peer'] as const;
export const CommunitiesSchema = z.strictObject({
  standard: list(z.string().regex(BGP_COMMUNITY, 'a community such as 65000:100 or a 32-bit number'), 32, 'communities').optional(),
  large: list(z.string().regex(BGP_LARGE_COMMUNITY, 'a large community such as 65000:1:2'), 32, 'communities').optional(),
  wellKnown: list(z.enum(WELL_KNOWN_COMMUNITIES), 14, 'communities').optional(),
});
/** The lab models unicast IPv4 and IPv6 (the CRDs list more AFI/SAFIs than GoBGP's Cilium uses). */
const FamilySchema = z.strictObject({ afi: z.enum(['ipv4', 'ipv6'], { message: 'the lab models afi ipv4 or ipv6' }), safi: z.enum(['unicast'], { message: 'the lab models safi unicast' }) });
const gracefulRestart = z.strictObject({ enabled: z.boolean(), restartTimeSeconds: int32(1, 4095).optional() });
/** A Kubernetes Secret name (authSecretRef): the lab has no Secrets, so the name is only carried. */
const secretName = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes Secret name');

export const PeeringNeighborSchema = z.strictObject({
  /** IPv4 or IPv6 (a dual-stack node peers with its leaf once per family). */
  peerAddress: anyCidr,
  peerPort: port.optional(),
  peerASN: asn,
  eBGPMultihopTTL: int32(1, 255).optional(),
  connectRetryTimeSeconds: seconds(1).optional(),
  holdTimeSeconds: seconds(3).optional(),
  keepAliveTimeSeconds: seconds(1).optional(),
  gracefulRestart: gracefulRestart.optional(),
  // 1.15+
  authSecretRef: secretName.optional(),
  families: list(FamilySchema, 2, 'families').optional(),
  advertisedPathAttributes: list(
    z.strictObject({
      selectorType: z.enum(['PodCIDR', 'CiliumLoadBalancerIPPool', 'CiliumPodIPPool']),
      selector: LabelSelectorSchema.optional(),
      communities: CommunitiesSchema.optional(),
      localPreference: z.number().int().min(0).max(4294967295).optional(),
    }),
    8,
    'path attributes',
  ).optional(),
});

export const SERVICE_ADDRESS_TYPES = ['LoadBalancerIP', 'ClusterIP', 'ExternalIP'] as const;

export const PeeringPolicySchema = z.strictObject({
  name,
  /** Missing: the policy selects every node (v2alpha1 bgpp_types.go: "If empty / nil this policy applies to all nodes"). */
  nodeSelector: LabelSelectorSchema.optional(),
  virtualRouters: list(
    z.strictObject({
      localASN: asn,
      exportPodCIDR: z.boolean().default(false),
      /** Missing: no Service is advertised (v1.14 pkg/bgpv1/manager/reconcile.go). */
      serviceSelector: LabelSelectorSchema.optional(),
      // 1.15+
      podIPPoolSelector: LabelSelectorSchema.optional(),
      serviceAdvertisements: list(z.enum(SERVICE_ADDRESS_TYPES), 3, 'address types').optional(),
      neighbors: list(PeeringNeighborSchema, LIMITS.policyNeighbors, 'neighbors').min(1),
    }),
    LIMITS.virtualRouters,
    'virtual routers',
  ).min(1),
});

// The v2 resources (1.16+: cilium.io/v2alpha1 in 1.16–1.17, cilium.io/v2 from 1.18), one list
// each under `cilium:`; an entry is the object's name (and labels) plus its spec's fields.
export const BgpClusterConfigSchema = z.strictObject({
  name,
  /** Missing: every node (bgp_cluster_types.go: "If empty / nil this config applies to all nodes"). */
  nodeSelector: LabelSelectorSchema.optional(),
  bgpInstances: list(
    z.strictObject({
      name,
      localASN: asn.optional(),
      /** 1.18+ */
      localPort: port.optional(),
      peers: list(
        z.strictObject({
          name,
          peerAddress: ipv4.optional(),
          /** 0 or missing: learned from the peer's OPEN (1.18+); 1.16–1.17 require it. */
          peerASN: z.number().int().min(0).max(4294967295).optional(),
          peerConfigRef: z.strictObject({ name }).optional(),
        }),
        LIMITS.policyNeighbors,
        'peers',
      ).default([]),
    }),
    16,
    'BGP instances',
  ).min(1),
});

export const BgpPeerConfigSchema = z.strictObject({
  name,
  timers: z
    .object({ connectRetryTimeSeconds: seconds(1).optional(), holdTimeSeconds: seconds(3).optional(), keepAliveTimeSeconds: seconds(1).optional() })
    .optional(),
  transport: z.strictObject({ peerPort: port.optional() }).optional(),
  ebgpMultihop: int32(1, 255).optional(),
  gracefulRestart: gracefulRestart.optional(),
  authSecretRef: secretName.optional(),
  /** Missing: IPv4 and IPv6 unicast with no advertisements (bgp_peer_types.go). */
  families: list(FamilySchema.extend({ advertisements: LabelSelectorSchema.optional() }), 2, 'families').optional(),
});

export const BgpAdvertisementSchema = z.strictObject({
  name,
  labels: labels.default({}),
  advertisements: list(
    z
      .object({
        advertisementType: z.enum(['PodCIDR', 'CiliumPodIPPool', 'Service', 'Interface']),
        selector: LabelSelectorSchema.optional(),
        service: z.strictObject({ addresses: list(z.enum(SERVICE_ADDRESS_TYPES), 3, 'address types').min(1) }).optional(),
        interface: z.strictObject({ name: ifname }).optional(),
        attributes: z.strictObject({ communities: CommunitiesSchema.optional(), localPreference: z.number().int().min(0).max(4294967295).optional() }).optional(),
      })
      // The CRD's own x-kubernetes-validations (bgp_advert_types.go): the API server refuses these.
      .superRefine((a, ctx) => {
        const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
        if (a.advertisementType === 'Service' && !a.service) add('service', "service field is required for the 'Service' advertisementType");
        if (a.advertisementType !== 'Service' && a.service) add('service', "service field is not allowed for non-'Service' advertisementType");
        if (a.advertisementType === 'Interface' && !a.interface) add('interface', "interface field is required for the 'Interface' advertisementType");
        if (a.advertisementType !== 'Interface' && a.interface) add('interface', "interface field is not allowed for non-'Interface' advertisementType");
        if (a.advertisementType === 'PodCIDR' && a.selector) add('selector', "selector field is not allowed for the 'PodCIDR' advertisementType");
      }),
    16,
    'advertisements',
  ),
});

/** Named after the node it overrides (bgp_node_override_types.go: metadata.name is the node name). */
export const BgpNodeConfigOverrideSchema = z.strictObject({
  name,
  bgpInstances: list(
    z.strictObject({
      name,
      routerID: ipv4.optional(),
      localPort: port.optional(),
      peers: list(z.strictObject({ name, localAddress: ipv4.optional() }), LIMITS.policyNeighbors, 'peers').optional(),
    }),
    16,
    'BGP instances',
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
    /** Dual stack: IPv6 pod addresses, a /64 per node (kind's podSubnet gets both, comma separated). */
    podSubnet6: cidr6.optional(),
    disableDefaultCNI: z.boolean().default(true),
    nodes: list(NodeSchema, LIMITS.nodes, 'nodes').min(1),
  }),
  cilium: z.object({
    version: z.string().regex(/^v?\d{1,3}\.\d{1,3}\.\d{1,3}(-[0-9A-Za-z.]{1,32})?$/, 'expected a Cilium version such as 1.14.0-rc.0')
      .refine((v) => ciliumMinor(v) !== undefined, `the lab models Cilium ${CILIUM_MINORS[0]}–${CILIUM_MINORS.at(-1)}; give a release such as 1.14.0-rc.0 or 1.18.3`)
      .default('1.14.0-rc.0'),
    /** Helm values as the seed passes them with --set (dotted keys expanded). */
    helmValues: z
      .record(helmKey, helmValue)
      .refine((v) => countLeaves(v) <= LIMITS.helmValues, `at most ${LIMITS.helmValues} helm values`)
      .default({}),
    bgpPeeringPolicies: list(PeeringPolicySchema, LIMITS.policies, 'policies').default([]),
    bgpClusterConfigs: list(BgpClusterConfigSchema, LIMITS.policies, 'cluster configs').default([]),
    bgpPeerConfigs: list(BgpPeerConfigSchema, LIMITS.policies, 'peer configs').default([]),
    bgpAdvertisements: list(BgpAdvertisementSchema, LIMITS.policies, 'advertisements').default([]),
    bgpNodeConfigOverrides: list(BgpNodeConfigOverrideSchema, LIMITS.nodes, 'node config overrides').default([]),
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
  for (const k of ['bgpClusterConfigs', 'bgpPeerConfigs', 'bgpAdvertisements']) check(`cilium.${k}`, at(raw, 'cilium', k), LIMITS.policies, k);
  check('cilium.bgpNodeConfigOverrides', at(raw, 'cilium', 'bgpNodeConfigOverrides'), LIMITS.nodes, 'overrides');
  return out;
}

export type Topology = z.infer<typeof TopologySchema>;
export type Router = z.infer<typeof RouterSchema>;
export type RouterInterface = z.infer<typeof InterfaceSchema>;
export type RouterNeighbor = z.infer<typeof RouterNeighborSchema>;
export type Rack = z.infer<typeof RackSchema>;
export type KubeNode = z.infer<typeof NodeSchema>;
export type PeeringPolicy = z.infer<typeof PeeringPolicySchema>;
export type PeeringNeighbor = z.infer<typeof PeeringNeighborSchema>;
export type LabelSelectorSpec = z.infer<typeof LabelSelectorSchema>;
export type BgpClusterConfig = z.infer<typeof BgpClusterConfigSchema>;
export type BgpPeerConfig = z.infer<typeof BgpPeerConfigSchema>;
export type BgpAdvertisement = z.infer<typeof BgpAdvertisementSchema>;
export type BgpNodeConfigOverride = z.infer<typeof BgpNodeConfigOverrideSchema>;
export type Link = z.infer<typeof LinkSchema>;
