// kind Cluster config (kind.x-k8s.io/v1alpha4) in the seed's shape: no default CNI, the pod
// subnet, and per node a kubeadm patch pinning node-ip to the rack LAN and the rack label
// that selects the node's peering policy.
import { stringify } from 'yaml';
import type { KubeNode, Topology } from '../topology/schema.js';

function kubeadmPatch(node: KubeNode): string {
  // The control plane is created by `kubeadm init`, workers by `kubeadm join`.
  const kind = node.role === 'control-plane' ? 'InitConfiguration' : 'JoinConfiguration';
  const labels = Object.entries(node.labels).map(([k, v]) => `${k}=${v}`).join(',');
  const lines = [`kind: ${kind}`, 'nodeRegistration:', '  kubeletExtraArgs:', `    node-ip: ${node.ip}`];
  if (labels) lines.push(`    node-labels: "${labels}"`);
  return lines.join('\n') + '\n';
}

export function kindConfig(topo: Topology): Record<string, unknown> {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: { disableDefaultCNI: topo.cluster.disableDefaultCNI, podSubnet: topo.cluster.podSubnet },
    nodes: topo.cluster.nodes.map((n) => ({ role: n.role, kubeadmConfigPatches: [kubeadmPatch(n)] })),
  };
}

export function renderKindConfig(topo: Topology): string {
  return stringify(kindConfig(topo), { lineWidth: 0 });
}
