// Editing a CiliumBGPPeeringPolicy of a running lab, and what Cilium does next: every node
// the policy selects (before or after the edit) gets its BGP agent reconfigured. The edited
// model is the lab record's topology, so every command sees the new policy.
import { z } from 'zod';
import type { LabRecord } from '../drivers/types.js';
import { PeeringNeighborSchema, PeeringPolicySchema, type PeeringPolicy, type Topology } from '../topology/schema.js';
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import { UsageError, closest } from '../errors.js';
import { writeLabRecord } from '../drivers/index.js';
import { reconcileAgents } from '../drivers/embedded/ops.js';

// The model's own field schemas (ranges, CIDR with valid octets), reading the typed words as numbers.
const neighbor = PeeringNeighborSchema.shape;
const router = PeeringPolicySchema.shape.virtualRouters.element.shape;
const number = <T extends z.ZodType<number, number>>(field: T) => z.coerce.number().pipe(field);
/** Fields of virtualRouters[0] / virtualRouters[0].neighbors[0], as the CRD spells them. */
export const POLICY_FIELDS = {
  localASN: number(router.localASN),
  exportPodCIDR: z.enum(['true', 'false']).transform((v) => v === 'true'),
  peerASN: number(neighbor.peerASN),
  peerAddress: neighbor.peerAddress,
  holdTimeSeconds: number(neighbor.holdTimeSeconds.unwrap()),
  keepAliveTimeSeconds: number(neighbor.keepAliveTimeSeconds.unwrap()),
  connectRetryTimeSeconds: number(neighbor.connectRetryTimeSeconds.unwrap()),
} as const;
export type PolicyField = keyof typeof POLICY_FIELDS;
export const ROUTER_FIELDS: PolicyField[] = ['localASN', 'exportPodCIDR'];

export function findPolicy(topo: Topology, name: string): PeeringPolicy {
  const names = topo.cilium.bgpPeeringPolicies.map((p) => p.name);
  const p = topo.cilium.bgpPeeringPolicies.find((x) => x.name === name);
  if (!p) {
    const guess = closest(name, names);
    throw new UsageError(`no CiliumBGPPeeringPolicy "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${names.join(', ')}`);
  }
  return p;
}

export function policyValue(p: PeeringPolicy, field: PolicyField): unknown {
  const vr = p.virtualRouters[0]!;
  return ROUTER_FIELDS.includes(field) ? vr[field as 'localASN'] : vr.neighbors[0]![field as 'peerASN'];
}

/** A copy of the model with one field of one policy changed; the value checked by zod. */
export function editPolicy(topo: Topology, name: string, field: string, value: string): { topology: Topology; from: unknown; to: unknown } {
  if (!(field in POLICY_FIELDS)) {
    const guess = closest(field, Object.keys(POLICY_FIELDS));
    throw new UsageError(`policies have no field "${field}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${Object.keys(POLICY_FIELDS).join(', ')}`);
  }
  const f = field as PolicyField;
  const parsed = POLICY_FIELDS[f].safeParse(value);
  if (!parsed.success) throw new UsageError(`${field}: ${parsed.error.issues[0]!.message} (got "${value}")`, `e.g. \`policy set ${name} ${field} ${f === 'peerAddress' ? '10.1.8.1/24' : f === 'exportPodCIDR' ? 'true' : '65008'}\``);
  const topology = structuredClone(topo);
  const p = findPolicy(topology, name);
  const from = policyValue(p, f);
  const vr = p.virtualRouters[0]!;
  if (ROUTER_FIELDS.includes(f)) Object.assign(vr, { [f]: parsed.data });
  else Object.assign(vr.neighbors[0]!, { [f]: parsed.data });
  return { topology, from, to: parsed.data };
}

/** Writes the new model into the lab record and reconciles the agents it changes, as Cilium would. */
export async function applyTopology(d: EmbeddedDriver, rec: LabRecord, topology: Topology): Promise<{ nodes: { node: string; running: boolean; announced: string[] }[] }> {
  await writeLabRecord(d.runner, { ...rec, topology });
  const nodes = (await reconcileAgents(d, rec, topology)).map(({ node, running, announced }) => ({ node, running, announced }));
  return { nodes };
}

/** Nodes a policy selects, by its nodeSelector. */
export function selectedNodes(topo: Topology, p: PeeringPolicy): string[] {
  return topo.cluster.nodes.filter((n) => Object.entries(p.nodeSelector.matchLabels).every(([k, v]) => n.labels[k] === v)).map((n) => n.name);
}
