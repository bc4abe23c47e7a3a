// Edits of a running lab's Services and workloads, as `kubectl patch`/`label`/`scale` would make
// them: a copy of the model with one change, checked by the model's own schemas before it is
// applied (lab/drills/policy.ts applyTopology, which reconciles agents, pods and Service tables).
import type { Topology } from '../topology/schema.js';
import { ServiceSchema, WorkloadSchema } from '../topology/services-schema.js';
import { UsageError, closest } from '../errors.js';
import { servicesOf, workloadsOf } from './endpoints.js';

export const SERVICE_FIELDS = ['externalTrafficPolicy', 'loadBalancerIP', 'type'] as const;
export type ServiceField = (typeof SERVICE_FIELDS)[number];

function serviceIndex(t: Topology, name: string): number {
  const list = servicesOf(t);
  const i = list.findIndex((s) => s.name === name || `${s.namespace}/${s.name}` === name);
  if (i < 0) {
    const names = list.map((s) => s.name);
    const guess = closest(name, names);
    throw new UsageError(`no Service "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${names.join(', ') || '(this topology has no Services; try --topology cilium-bgp-lb)'}`);
  }
  return i;
}

function workloadIndex(t: Topology, name: string): number {
  const list = workloadsOf(t);
  const i = list.findIndex((w) => w.name === name);
  if (i < 0) {
    const names = list.map((w) => w.name);
    const guess = closest(name, names);
    throw new UsageError(`no workload "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${names.join(', ') || '(this topology has no workloads)'}`);
  }
  return i;
}

const zodLine = (issues: { path: PropertyKey[]; message: string }[]) => issues.map((i) => `${i.path.map(String).join('.') || 'value'}: ${i.message}`).join('; ');

/** `service set web externalTrafficPolicy Local`; loadBalancerIP `none` removes the request. */
export function editService(t: Topology, name: string, field: string, value: string): { topology: Topology; from: unknown; to: unknown } {
  if (!(SERVICE_FIELDS as readonly string[]).includes(field)) {
    const guess = closest(field, [...SERVICE_FIELDS]);
    throw new UsageError(`Services have no settable field "${field}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${SERVICE_FIELDS.join(', ')}`);
  }
  const topology = structuredClone(t);
  const i = serviceIndex(topology, name);
  const svc = topology.services![i]!;
  const from = svc[field as ServiceField] ?? null;
  const next = { ...svc } as Record<string, unknown>;
  if (field === 'loadBalancerIP' && (value === 'none' || value === '')) delete next.loadBalancerIP;
  else next[field] = value;
  const parsed = ServiceSchema.safeParse(next);
  if (!parsed.success) throw new UsageError(`service set ${name} ${field} ${value}: ${zodLine(parsed.error.issues)}`, field === 'externalTrafficPolicy' ? 'use Cluster or Local' : field === 'loadBalancerIP' ? 'an IPv4 address, or none' : 'use LoadBalancer or ClusterIP');
  topology.services![i] = parsed.data;
  return { topology, from, to: parsed.data[field as ServiceField] ?? null };
}

/** `service label web advertise=bgp`; `key-` removes the label (kubectl's spelling). */
export function labelService(t: Topology, name: string, assignment: string): { topology: Topology; from: string | null; to: string | null; key: string } {
  const m = /^([^=]+?)(-|=(.*))$/.exec(assignment);
  if (!m) throw new UsageError(`"${assignment}" is not key=value or key-`, 'e.g. `service label web advertise=bgp`, or `service label web advertise-` to remove it');
  const key = m[1]!;
  const value = m[2] === '-' ? null : m[3] ?? '';
  const topology = structuredClone(t);
  const i = serviceIndex(topology, name);
  const svc = topology.services![i]!;
  const from = Object.hasOwn(svc.labels, key) ? svc.labels[key]! : null;
  const labels = { ...svc.labels };
  if (value === null) delete labels[key];
  else labels[key] = value;
  const parsed = ServiceSchema.safeParse({ ...svc, labels });
  if (!parsed.success) throw new UsageError(`service label ${name} ${assignment}: ${zodLine(parsed.error.issues)}`, 'a Kubernetes label: key such as advertise, value of letters, digits, dashes, dots');
  topology.services![i] = parsed.data;
  return { topology, from, to: value, key };
}

/** `workload scale web 0`. */
export function scaleWorkload(t: Topology, name: string, replicas: number): { topology: Topology; from: number; to: number } {
  const topology = structuredClone(t);
  const i = workloadIndex(topology, name);
  const w = topology.workloads![i]!;
  const parsed = WorkloadSchema.safeParse({ ...w, replicas });
  if (!parsed.success) throw new UsageError(`workload scale ${name} ${replicas}: ${zodLine(parsed.error.issues)}`, 'replicas 0-16');
  topology.workloads![i] = parsed.data;
  return { topology, from: w.replicas, to: replicas };
}
