// clabernetes: the containerlab definition wrapped in a Topology resource, so the fabric runs
// as pods of a Kubernetes cluster. The VyOS startup configs travel in one ConfigMap, mounted
// where the clab binds put them (a relative bind path means nothing inside a launcher pod).
import type { Topology } from '../topology/schema.js';
import { renderClab } from './containerlab.js';
import { renderVyosConfig } from './vyos.js';

export function clabernetesObjects(topo: Topology): Record<string, unknown>[] {
  const configMap = `${topo.name}-startup`;
  const key = (router: string) => `${router}-boot.cfg`;
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMap },
      data: Object.fromEntries(topo.routers.map((r) => [key(r.name), renderVyosConfig(topo, r)])),
    },
    {
      apiVersion: 'clabernetes.containerlab.dev/v1alpha1',
      kind: 'Topology',
      metadata: { name: topo.name },
      spec: {
        definition: { containerlab: renderClab(topo) },
        deployment: {
          filesFromConfigMap: Object.fromEntries(
            topo.routers.map((r) => [
              r.name,
              [{ filePath: `startup-conf/${key(r.name)}`, configMapName: configMap, configMapPath: key(r.name) }],
            ]),
          ),
        },
      },
    },
  ];
}
