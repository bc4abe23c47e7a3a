// What the lab runs beyond the fabric: CiliumLoadBalancerIPPools, Services, the workloads that
// back them, and an external client. Field names follow the Kubernetes / Cilium objects they
// stand for. Every string becomes a Kubernetes name or label, a namespace or interface name in an
// `ip -batch` line, or an address in an nftables rule: each is checked against what it becomes.
import { z } from 'zod';
import { LabelSelectorSchema, labels } from './labels.js';

export const SERVICE_LIMITS = { pools: 16, cidrsPerPool: 16, services: 32, workloads: 16, replicas: 16, requestedIps: 4, clientGateways: 4 } as const;

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;
const cidr = z.string().regex(new RegExp(`^${IPV4}/(3[0-2]|[12]?\\d)$`), 'expected an IPv4 prefix such as 10.1.100.0/24');
const ipv4 = z.string().regex(new RegExp(`^${IPV4}$`), 'expected an IPv4 address such as 10.1.100.1');
/** A DNS-1123 label; 40 at most where it gets suffixes (pods `<workload>-<node>-<i>`). */
const name = z.string().max(40, 'at most 40 characters (it gets suffixes)').regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and dashes');
const ifname = z.string().max(15, 'Linux allows 15 characters').regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an interface name: letters, digits, dots, dashes or underscores');
const port = z.number().int().min(1).max(65535);

export { LabelSelectorSchema } from './labels.js';

/**
 * CiliumLoadBalancerIPPool. 1.14 (v2alpha1) spells the ranges `cidrs`; the release that renamed
 * them (1.15) spells them `blocks` (and keeps `cidrs` as deprecated until it is removed).
 */
export const LbIpPoolSchema = z
  .object({
    name,
    cidrs: z.array(z.object({ cidr }).strict()).min(1).max(SERVICE_LIMITS.cidrsPerPool).optional(),
    blocks: z.array(z.object({ cidr }).strict()).min(1).max(SERVICE_LIMITS.cidrsPerPool).optional(),
    serviceSelector: LabelSelectorSchema.optional(),
    disabled: z.boolean().default(false),
  })
  .strict()
  .refine((p) => p.cidrs || p.blocks, 'a pool needs `cidrs` (1.14) or `blocks` (1.15 and later)');

export const ServiceSchema = z
  .object({
    name,
    namespace: name.default('default'),
    labels: labels.default({}),
    /** Only `io.cilium/lb-ipam-ips` (comma-separated addresses) is read: LB-IPAM's requested IPs. */
    annotations: z
      .object({ 'io.cilium/lb-ipam-ips': z.string().max(80).regex(new RegExp(`^${IPV4}(\\s*,\\s*${IPV4}){0,${SERVICE_LIMITS.requestedIps - 1}}$`), 'comma-separated IPv4 addresses') })
      .partial()
      .strict()
      .default({}),
    type: z.enum(['LoadBalancer', 'ClusterIP']).default('LoadBalancer'),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).default('Cluster'),
    /** spec.loadBalancerIP: a requested address (deprecated upstream, still honoured by LB-IPAM). */
    loadBalancerIP: ipv4.optional(),
    /** Pod labels the Service selects (the demo DaemonSet's pods carry app=<demo.name>). */
    selector: labels,
    port: port.default(80),
    targetPort: port.default(80),
  })
  .strict();

/** A Deployment: `replicas` pods spread over the nodes its nodeSelector matches, in node order. */
export const WorkloadSchema = z
  .object({
    name,
    kind: z.literal('Deployment').default('Deployment'),
    replicas: z.number().int().min(0).max(SERVICE_LIMITS.replicas),
    /** Pod labels (what Services select). */
    labels,
    nodeSelector: labels.default({}),
  })
  .strict();

/**
 * A client outside the cluster on its own LAN with the spines (a bridge: every spine's interface
 * and the client on one subnet), so the leaves learn the subnet from both spines and the client's
 * requests enter the fabric through either.
 */
export const ClientSchema = z
  .object({
    name: name.default('client'),
    bridge: name.default('br-client'),
    interface: ifname.default('eth1'),
    address: ipv4,
    subnet: cidr,
    /** The spine interfaces on the client LAN (each also listed under the router's interfaces). */
    gateways: z.array(z.object({ router: name, interface: ifname }).strict()).min(1).max(SERVICE_LIMITS.clientGateways),
  })
  .strict();

export type LbIpPool = z.infer<typeof LbIpPoolSchema>;
export type Service = z.infer<typeof ServiceSchema>;
export type Workload = z.infer<typeof WorkloadSchema>;
export type Client = z.infer<typeof ClientSchema>;
export type LabelSelectorInput = z.infer<typeof LabelSelectorSchema>;

export const lbIpPoolsField = z.array(LbIpPoolSchema).max(SERVICE_LIMITS.pools, `at most ${SERVICE_LIMITS.pools} pools`).optional();
export const servicesField = z.array(ServiceSchema).max(SERVICE_LIMITS.services, `at most ${SERVICE_LIMITS.services} services`).optional();
export const workloadsField = z.array(WorkloadSchema).max(SERVICE_LIMITS.workloads, `at most ${SERVICE_LIMITS.workloads} workloads`).optional();
export const clientField = ClientSchema.optional();
