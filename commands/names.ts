// Names typed by people, checked against the topology before anything runs. Node names may
// be given short (worker2 for cilium-bgp-worker2), as people say them.
import type { Topology } from '../lab/topology/schema.js';
import { podsOf, type Pod } from '../lab/topology/model.js';
import { UsageError, closest } from '../lab/errors.js';

export type DeviceKind = 'router' | 'node' | 'pod';

export function resolveDevice(topo: Topology, name: string, kinds: DeviceKind[], podsPerNode?: number): { kind: DeviceKind; name: string } {
  const candidates: { kind: DeviceKind; name: string }[] = [];
  if (kinds.includes('router')) candidates.push(...topo.routers.map((r) => ({ kind: 'router' as const, name: r.name })));
  if (kinds.includes('node')) candidates.push(...topo.cluster.nodes.map((n) => ({ kind: 'node' as const, name: n.name })));
  if (kinds.includes('pod')) candidates.push(...podsOf(topo, podsPerNode).map((p) => ({ kind: 'pod' as const, name: p.name })));
  const exact = candidates.find((c) => c.name === name) ?? candidates.find((c) => c.kind === 'node' && c.name === `${topo.cluster.name}-${name}`);
  if (exact) return exact;
  const what = kinds.join(' or ');
  const names = candidates.map((c) => c.name);
  const guess = closest(name, names);
  throw new UsageError(`unknown ${what} "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}valid: ${names.join(', ')}`);
}

export function resolvePod(topo: Topology, name: string, podsPerNode?: number): Pod {
  const d = resolveDevice(topo, name, ['pod'], podsPerNode);
  return podsOf(topo, podsPerNode).find((p) => p.name === d.name)!;
}

/** Interfaces of a router, checked: `eth1,eth2` → ['eth1','eth2']. */
export function resolveInterfaces(topo: Topology, router: string, list: string): string[] {
  const r = topo.routers.find((x) => x.name === router)!;
  const valid = r.interfaces.map((i) => i.name);
  const out = list.split(',').filter(Boolean);
  for (const i of out) if (!valid.includes(i)) throw new UsageError(`${router} has no interface ${i}`, `valid: ${valid.join(', ')}`);
  if (!out.length) throw new UsageError('no interface given', `valid: ${valid.join(', ')}`);
  return out;
}
