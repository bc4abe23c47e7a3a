// Editing a CiliumBGPPeeringPolicy of a running lab, and what Cilium does next: every node
// the policy selects (before or after the edit) gets its BGP agent reconfigured. The edited
// model is the lab record's topology, so every command sees the new policy.
import { z } from 'zod';
import type { LabRecord } from '../drivers/types.js';
import { PeeringNeighborSchema, PeeringPolicySchema, type PeeringPolicy, type Topology } from '../topology/schema.js';
import { labels } from '../topology/labels.js';
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import { UsageError, closest } from '../errors.js';
import { policySelects } from '../cilium/peering-policy.js';
import { writeLabRecord } from '../drivers/index.js';
import { reconcileAgents } from '../drivers/embedded/ops.js';
import { reconcileServices } from '../drivers/embedded/services.js';

// The model's own field schemas (ranges, CIDR with valid octets), reading the typed words as numbers.
const neighbor = PeeringNeighborSchema.shape;
const router = PeeringPolicySchema.shape.virtualRouters.element.shape;
const number = <T extends z.ZodType<number, number>>(field: T) => z.coerce.number().pipe(field);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
/** Fields of virtualRouters[0] / virtualRouters[0].neighbors[0], as the CRD spells them. */
export const POLICY_FIELDS = {
  localASN: number(router.localASN),
  exportPodCIDR: bool,
  peerASN: number(neighbor.peerASN),
  peerAddress: neighbor.peerAddress,
  holdTimeSeconds: number(neighbor.holdTimeSeconds.unwrap()),
  keepAliveTimeSeconds: number(neighbor.keepAliveTimeSeconds.unwrap()),
  connectRetryTimeSeconds: number(neighbor.connectRetryTimeSeconds.unwrap()),
  peerPort: number(neighbor.peerPort.unwrap()),
  eBGPMultihopTTL: number(neighbor.eBGPMultihopTTL.unwrap()),
  gracefulRestart: bool,
  restartTimeSeconds: number(z.number().int().min(1).max(4095)),
} as const;
export type PolicyField = keyof typeof POLICY_FIELDS;
export const ROUTER_FIELDS: PolicyField[] = ['localASN', 'exportPodCIDR'];

type Any = Record<string, any>;
interface FieldSpec {
  parse: z.ZodType;
  get(o: Any): unknown;
  set(o: Any, v: unknown): void;
}
const at = (parse: z.ZodType, path: string[]): FieldSpec => ({
  parse,
  get: (o) => path.reduce<Any | undefined>((x, k) => x?.[k], o),
  set: (o, v) => {
    let x = o;
    for (const k of path.slice(0, -1)) x = x[k] ??= {};
    x[path.at(-1)!] = v;
  },
});
const seconds = (min: number) => number(z.number().int().min(min).max(65535));
const asn = number(z.number().int().min(1).max(4294967294));
const ipv4 = z.string().regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'an IPv4 address such as 10.1.5.1');
const gr = (o: Any) => (o.gracefulRestart ??= { enabled: false });
/** Fields of the v2 objects, per kind, by the CRD's leaf names (instance 0, peer 0, advertisement 0). */
export const V2_FIELDS: Record<'CiliumBGPClusterConfig' | 'CiliumBGPPeerConfig' | 'CiliumBGPAdvertisement', Record<string, FieldSpec>> = {
  CiliumBGPClusterConfig: {
    localASN: at(asn, ['bgpInstances', '0', 'localASN']),
    peerASN: at(asn, ['bgpInstances', '0', 'peers', '0', 'peerASN']),
    peerAddress: at(ipv4, ['bgpInstances', '0', 'peers', '0', 'peerAddress']),
    peerConfigRef: { parse: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a peer config name'), get: (o) => o.bgpInstances[0]?.peers[0]?.peerConfigRef?.name, set: (o, v) => (o.bgpInstances[0].peers[0].peerConfigRef = { name: v }) },
  },
  CiliumBGPPeerConfig: {
    holdTimeSeconds: at(seconds(3), ['timers', 'holdTimeSeconds']),
    keepAliveTimeSeconds: at(seconds(1), ['timers', 'keepAliveTimeSeconds']),
    connectRetryTimeSeconds: at(seconds(1), ['timers', 'connectRetryTimeSeconds']),
    peerPort: at(number(z.number().int().min(1).max(65535)), ['transport', 'peerPort']),
    ebgpMultihop: at(number(z.number().int().min(1).max(255)), ['ebgpMultihop']),
    gracefulRestart: { parse: bool, get: (o) => o.gracefulRestart?.enabled ?? false, set: (o, v) => (gr(o).enabled = v) },
    restartTimeSeconds: { parse: number(z.number().int().min(1).max(4095)), get: (o) => o.gracefulRestart?.restartTimeSeconds, set: (o, v) => (gr(o).restartTimeSeconds = v) },
  },
  CiliumBGPAdvertisement: {
    localPreference: at(number(z.number().int().min(0).max(4294967295)), ['advertisements', '0', 'attributes', 'localPreference']),
    communities: {
      parse: z.string().regex(/^(\d{1,5}:\d{1,5})(,\d{1,5}:\d{1,5})*$|^none$/, 'communities such as 65000:100,65000:200 (or none)').transform((v) => (v === 'none' ? [] : v.split(','))),
      get: (o) => o.advertisements[0]?.attributes?.communities?.standard ?? [],
      set: (o, v) => {
        const a = (o.advertisements[0].attributes ??= {});
        a.communities = { ...a.communities, standard: v };
      },
    },
  },
};

export function findPolicy(topo: Topology, name: string): PeeringPolicy {
  const names = topo.cilium.bgpPeeringPolicies.map((p) => p.name);
  const p = topo.cilium.bgpPeeringPolicies.find((x) => x.name === name);
  if (!p) {
    const guess = closest(name, names);
    throw new UsageError(`no CiliumBGPPeeringPolicy "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${names.join(', ')}`);
  }
  return p;
}

/** A peering policy or (v2) cluster config, peer config or advertisement by name. */
export function findPolicyObject(topo: Topology, name: string): { name: string } {
  return findObject(topo, name).object as { name: string };
}

type Kind = 'CiliumBGPPeeringPolicy' | keyof typeof V2_FIELDS;
function findObject(topo: Topology, name: string): { kind: Kind; object: Any } {
  const c = topo.cilium;
  const all: [Kind, { name: string }[]][] = [['CiliumBGPPeeringPolicy', c.bgpPeeringPolicies], ['CiliumBGPClusterConfig', c.bgpClusterConfigs], ['CiliumBGPPeerConfig', c.bgpPeerConfigs], ['CiliumBGPAdvertisement', c.bgpAdvertisements]];
  for (const [kind, list] of all) {
    const object = list.find((x) => x.name === name);
    if (object) return { kind, object: object as Any };
  }
  const names = all.flatMap(([, l]) => l.map((x) => x.name));
  const guess = closest(name, names);
  throw new UsageError(`no CiliumBGPPeeringPolicy or v2 BGP object "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${names.join(', ')}`);
}

/** The fields `policy set` takes for the named object. */
export function fieldsOf(topo: Topology, name: string): string[] {
  const { kind } = findObject(topo, name);
  return kind === 'CiliumBGPPeeringPolicy' ? [...Object.keys(POLICY_FIELDS), 'nodeSelector'] : Object.keys(V2_FIELDS[kind]);
}

/**
 * The policy's nodeSelector as matchLabels, `key=value[,key=value]` (what `kubectl edit` of its
 * spec.nodeSelector does): how a second policy comes to select a node of a running cluster.
 */
const NODE_SELECTOR: FieldSpec = {
  parse: z
    .string()
    .regex(/^[^=,\s]+=[^=,\s]*(,[^=,\s]+=[^=,\s]*)*$/, 'matchLabels as key=value[,key=value], e.g. rack=rack0')
    .transform((v) => Object.fromEntries(v.split(',').map((kv) => kv.split('=') as [string, string])))
    .pipe(labels),
  get: (p) => Object.entries(p.nodeSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
  set: (p, v) => (p.nodeSelector = { matchLabels: v }),
};

const policyFieldSpec = (f: PolicyField): FieldSpec => {
  if (ROUTER_FIELDS.includes(f)) return at(POLICY_FIELDS[f], ['virtualRouters', '0', f]);
  if (f === 'gracefulRestart') return { parse: POLICY_FIELDS[f], get: (p) => p.virtualRouters[0].neighbors[0].gracefulRestart?.enabled ?? false, set: (p, v) => (gr(p.virtualRouters[0].neighbors[0]).enabled = v) };
  if (f === 'restartTimeSeconds') return { parse: POLICY_FIELDS[f], get: (p) => p.virtualRouters[0].neighbors[0].gracefulRestart?.restartTimeSeconds, set: (p, v) => (gr(p.virtualRouters[0].neighbors[0]).restartTimeSeconds = v) };
  return at(POLICY_FIELDS[f], ['virtualRouters', '0', 'neighbors', '0', f]);
};

export function policyValue(p: PeeringPolicy, field: PolicyField): unknown {
  return policyFieldSpec(field).get(p as Any);
}

/** A copy of the model with one field of one object changed; the value checked by zod. */
export function editPolicy(topo: Topology, name: string, field: string, value: string): { topology: Topology; from: unknown; to: unknown; kind: string } {
  const { kind } = findObject(topo, name);
  const table: Record<string, FieldSpec> =
    kind === 'CiliumBGPPeeringPolicy' ? { ...Object.fromEntries(Object.keys(POLICY_FIELDS).map((f) => [f, policyFieldSpec(f as PolicyField)])), nodeSelector: NODE_SELECTOR } : V2_FIELDS[kind];
  const spec = Object.hasOwn(table, field) ? table[field] : undefined; // not Object's own constructor, toString, …
  if (!spec) {
    const guess = closest(field, Object.keys(table));
    throw new UsageError(`a ${kind} has no field "${field}" here`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${Object.keys(table).join(', ')}`);
  }
  const parsed = spec.parse.safeParse(value);
  if (!parsed.success) throw new UsageError(`${field}: ${parsed.error.issues[0]!.message} (got "${value}")`, `e.g. \`policy set ${name} ${field} ${field === 'peerAddress' ? (kind === 'CiliumBGPPeeringPolicy' ? '10.1.8.1/24' : '10.1.8.1') : field === 'exportPodCIDR' || field === 'gracefulRestart' ? 'true' : field.endsWith('ASN') ? '65008' : '30'}\``);
  const topology = structuredClone(topo);
  const { object } = findObject(topology, name);
  const from = spec.get(object);
  spec.set(object, parsed.data);
  return { topology, from, to: parsed.data, kind };
}

/** Writes the new model into the lab record and reconciles the agents it changes, as Cilium would. */
export async function applyTopology(d: EmbeddedDriver, rec: LabRecord, topology: Topology): Promise<{ nodes: { node: string; running: boolean; announced: string[]; kept?: true }[]; services?: Awaited<ReturnType<typeof reconcileServices>> }> {
  const next = { ...rec, topology };
  await writeLabRecord(d.runner, next);
  // Workload pods and each node's Service tables first, so a /32 the agents then announce has its backends.
  const services = await reconcileServices(d, rec, next);
  const nodes = (await reconcileAgents(d, rec, topology)).map(({ node, running, announced, kept }) => ({ node, running, announced, ...(kept ? { kept } : {}) }));
  return { nodes, services };
}

/** Nodes a policy selects, by its nodeSelector (nil: every node), whether or not another selects them too. */
export function selectedNodes(topo: Topology, p: PeeringPolicy): string[] {
  return topo.cluster.nodes.filter((n) => policySelects(p, n)).map((n) => n.name);
}
