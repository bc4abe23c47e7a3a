// kind Cluster config (kind.x-k8s.io/v1alpha4) in the seed's shape: no default CNI, the pod
// subnet, and per node a kubeadm patch pinning node-ip to the rack LAN and the rack label
// that selects the node's peering policy.
import { stringify } from 'yaml';
import type { KubeNode, Topology } from '../topology/schema.js';

function kubeadmPatch(node: KubeNode): string {
  // The control plane is created by `kubeadm init`, workers by `kubeadm join`.
  const kind = node.role === 'control-plane' ? 'InitConfiguration' : 'JoinConfiguration';
  const labels = Object.entries(node.labels).map(([k, v]) => `${k}=${v}`).join(',');
  // Dual stack: the kubelet takes both node IPs, comma separated (IPv4 first: the primary family).
  const lines = [`kind: ${kind}`, 'nodeRegistration:', '  kubeletExtraArgs:', `    node-ip: ${node.ip6 ? `${node.ip},${node.ip6}` : node.ip}`];
  if (labels) lines.push(`    node-labels: "${labels}"`);
  return lines.join('\n') + '\n';
}

export function kindConfig(topo: Topology): Record<string, unknown> {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: topo.cluster.podSubnet6
      ? // Dual stack: kind's ipFamily dual, both pod subnets (kind then defaults a dual service subnet).
        { ipFamily: 'dual', disableDefaultCNI: topo.cluster.disableDefaultCNI, podSubnet: `${topo.cluster.podSubnet},${topo.cluster.podSubnet6}` }
      : { disableDefaultCNI: topo.cluster.disableDefaultCNI, podSubnet: topo.cluster.podSubnet },
    nodes: topo.cluster.nodes.map((n) => ({ role: n.role, kubeadmConfigPatches: [kubeadmPatch(n)] })),
  };
}

export function renderKindConfig(topo: Topology): string {
  return stringify(kindConfig(topo), { lineWidth: 0 });
}
