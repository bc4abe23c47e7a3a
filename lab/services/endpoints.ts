// Workload pods and Service endpoints, derived from the model as the scheduler and the
// EndpointSlice controller would: a Deployment's replicas spread over the nodes its nodeSelector
// matches (in node order, one each before a second), the demo DaemonSet's pods on every node, and
// a Service's endpoints every pod whose labels its selector matches (all ready: the pods' web
// servers start with the namespace).
import type { KubeNode, Topology } from '../topology/schema.js';
import type { Service, Workload } from '../topology/services-schema.js';
import { hostIn } from '../topology/ip.js';
import { podCidrOf, podsOf } from '../topology/model.js';

export interface WorkloadPod {
  name: string;
  workload: string;
  node: string;
  ip: string;
  podCIDR: string;
  labels: Record<string, string>;
}

/**
 * Host numbers a node's pod CIDR leaves free for workload pods: the demo pods hold .10–.25,
 * check's probe addresses .32–.255 (lab/inspect/paths.ts).
 */
export const WORKLOAD_HOSTS = [26, 27, 28, 29, 30, 31, 2, 3, 4, 5, 6, 7, 8, 9] as const;

export const servicesOf = (t: Topology): Service[] => t.services ?? [];
export const workloadsOf = (t: Topology): Workload[] => t.workloads ?? [];

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Nodes a Deployment's pods may land on. */
export function eligibleNodes(t: Topology, w: Workload): KubeNode[] {
  return t.cluster.nodes.filter((n) => labelsMatch(w.nodeSelector, { ...n.labels, 'kubernetes.io/hostname': n.name }));
}

const nodeSuffix = (t: Topology, node: string) => (node.startsWith(`${t.cluster.name}-`) ? node.slice(t.cluster.name.length + 1) : node);

/** Every workload pod: replica i on eligible node i mod n; addresses from WORKLOAD_HOSTS per node. */
export function workloadPods(t: Topology): WorkloadPod[] {
  const used = new Map<string, number>();
  const out: WorkloadPod[] = [];
  for (const w of workloadsOf(t)) {
    const nodes = eligibleNodes(t, w);
    if (!nodes.length) continue; // Pending: no node matches (explain says so)
    const perNode = new Map<string, number>();
    for (let i = 0; i < w.replicas; i++) {
      const node = nodes[i % nodes.length]!;
      const k = perNode.get(node.name) ?? 0;
      perNode.set(node.name, k + 1);
      const slot = used.get(node.name) ?? 0;
      used.set(node.name, slot + 1);
      const host = WORKLOAD_HOSTS[slot];
      if (host === undefined) continue; // validate.ts refuses such a model; never reached from a valid one
      const cidr = podCidrOf(t, node);
      out.push({ name: `${w.name}-${nodeSuffix(t, node.name)}-${k}`, workload: w.name, node: node.name, ip: hostIn(cidr, host), podCIDR: cidr, labels: w.labels });
    }
  }
  return out;
}

export interface Endpoint {
  pod: string;
  node: string;
  ip: string;
}

/** The demo DaemonSet's pods carry app=<demo.name>, as the seed's manifest labels them. */
export function endpointsOf(t: Topology, svc: Service, podsPerNode = t.demo.podsPerNode): Endpoint[] {
  const demo = podsOf(t, podsPerNode).map((p) => ({ pod: p.name, node: p.node, ip: p.ip, labels: { app: t.demo.name } as Record<string, string> }));
  const wl = workloadPods(t).map((p) => ({ pod: p.name, node: p.node, ip: p.ip, labels: p.labels }));
  // A Service without a selector has no endpoints (Kubernetes leaves them to the user).
  if (!Object.keys(svc.selector).length) return [];
  return [...demo, ...wl].filter((p) => labelsMatch(svc.selector, p.labels)).map(({ pod, node, ip }) => ({ pod, node, ip }));
}

export function findService(t: Topology, name: string): Service | undefined {
  return servicesOf(t).find((s) => s.name === name || `${s.namespace}/${s.name}` === name);
}
