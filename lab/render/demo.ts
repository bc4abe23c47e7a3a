// The seed's demo app: a privileged nettool DaemonSet (one pod per node) behind a NodePort.
// podsPerNode only shapes the embedded lab; a DaemonSet runs one pod per node.
import type { Topology } from '../topology/schema.js';

export function demoObjects(topo: Topology): Record<string, unknown>[] {
  const { name, image, containerName, service } = topo.demo;
  const labels = { app: name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: containerName, image, securityContext: { privileged: true } }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: {
        type: 'NodePort',
        selector: labels,
        ports: [{ name, port: service.port, targetPort: service.targetPort, nodePort: service.nodePort }],
      },
    },
  ];
}
