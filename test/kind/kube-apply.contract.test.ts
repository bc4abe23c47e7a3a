// Contract: what @kubernetes/client-node sends when the kind driver applies the rendered
// peering policies and demo app — group/version/kind in the path, server-side apply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Kube } from '../../lab/drivers/kind/kube.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { renderAll } from '../../lab/render/index.js';
import { loadTopology } from '../../lab/topology/load.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { startFakeApi, type FakeApi } from './fake-apiserver.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(async () => {
  await api?.close();
});

describe('kind driver → Kubernetes API (contract)', () => {
  it('applies the peering policies and the demo app with server-side apply', async () => {
    const topo = loadTopology(DEFAULT_TOPOLOGY_FILE);
    const files = renderAll(topo);
    const kube = await Kube.open(api.kubeconfig, new LocalRunner());
    const applied = [
      ...(await kube.apply(files.find((f) => f.path === 'bgp-peering-policies.yaml')!.content)),
      ...(await kube.apply(files.find((f) => f.path === 'demo-app.yaml')!.content)),
    ];
    expect(applied).toEqual(['CiliumBGPPeeringPolicy/rack0', 'CiliumBGPPeeringPolicy/rack1', 'DaemonSet/app', 'Service/app']);

    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual([
      '/apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies/rack0',
      '/apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies/rack1',
      '/apis/apps/v1/namespaces/default/daemonsets/app',
      '/api/v1/namespaces/default/services/app',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.query.get('fieldManager')).toBe('bgp-lab');
      expect(p.query.get('force')).toBe('true');
    }
    const rack0 = parse(patches[0]!.body);
    expect(rack0).toMatchObject({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumBGPPeeringPolicy',
      metadata: { name: 'rack0' },
      spec: {
        nodeSelector: { matchLabels: { rack: 'rack0' } },
        virtualRouters: [{ localASN: 65005, exportPodCIDR: true, neighbors: [{ peerAddress: '10.1.5.1/24', peerASN: 65005 }] }],
      },
    });
    const ds = parse(patches[2]!.body);
    expect(ds).toMatchObject({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'app' } });
    expect(ds.spec.template.spec.containers[0]).toMatchObject({ name: 'nettool', image: 'burlyluo/nettool', securityContext: { privileged: true } });
    const svc = parse(patches[3]!.body);
    expect(svc.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 8080, targetPort: 80, nodePort: 32000 }] });
    // Discovery told client-node which kinds are namespaced; only those got a namespace.
    expect(api.requests.some((r) => r.method === 'GET' && r.path === '/apis/cilium.io/v2alpha1')).toBe(true);
  });

  it('lists the demo pods of a node with label and field selectors', async () => {
    const kube = await Kube.open(api.kubeconfig, new LocalRunner());
    expect(await kube.podsOn('default', 'app=app', 'cilium-bgp-worker2')).toEqual(['app-on-cilium-bgp-worker2']);
    const list = api.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/default/pods').at(-1)!;
    expect(list.query.get('labelSelector')).toBe('app=app');
    expect(list.query.get('fieldSelector')).toBe('spec.nodeName=cilium-bgp-worker2');
  });

  it('exec in a demo pod goes through the exec API, with argv and exit code intact', async () => {
    const kube = await Kube.open(api.kubeconfig, new LocalRunner());
    const r = await kube.exec('default', 'app-on-cilium-bgp-worker2', 'nettool', ['ping', '-c', '1', '10.98.0.10; rm -rf /']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('ran: ping -c 1 10.98.0.10; rm -rf /\n');
    const up = api.requests.filter((x) => x.method === 'UPGRADE').at(-1)!;
    expect(up.path).toBe('/api/v1/namespaces/default/pods/app-on-cilium-bgp-worker2/exec');
    expect(up.query.getAll('command')).toEqual(['ping', '-c', '1', '10.98.0.10; rm -rf /']);
    expect(up.query.get('container')).toBe('nettool');
    expect((await kube.exec('default', 'p', 'c', ['exit', '3'])).exitCode).toBe(3);
  });
});
