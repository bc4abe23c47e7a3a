// Rendered artifacts against the upstream schemas in ../shared/oracles.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadTopology } from '../../lab/topology/load.js';
import { renderAll } from '../../lab/render/index.js';
import { generateTopology } from '../../lab/topology/generate.js';
import { clabValidator, compileSchema, crdSchema, helmKeyPaths, kindGoTypes, oracle, unknownGoFields, unknownKeys, valuePaths } from './oracles.js';

const topo = loadTopology();
const big = generateTopology({ spines: 4, leaves: 8, nodesPerRack: 4 });
const content = (files: ReturnType<typeof renderAll>, path: string) => files.find((f) => f.path === path)!.content;
const objects = (files: ReturnType<typeof renderAll>, kind: string) =>
  files.filter((f) => f.kind === kind).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as { apiVersion: string; kind: string }));

const CRD_FILE: Record<string, string> = {
  CiliumBGPPeeringPolicy: 'ciliumbgppeeringpolicies.yaml',
  CiliumBGPClusterConfig: 'ciliumbgpclusterconfigs.yaml',
  CiliumBGPPeerConfig: 'ciliumbgppeerconfigs.yaml',
  CiliumBGPAdvertisement: 'ciliumbgpadvertisements.yaml',
};

function expectValidAgainstCrd(objs: { apiVersion: string; kind: string }[], dir: string) {
  expect(objs.length).toBeGreaterThan(0);
  for (const o of objs) {
    const schema = crdSchema(`cilium/${dir}/${CRD_FILE[o.kind]}`, o.apiVersion.split('/')[1]!);
    const validate = compileSchema(schema);
    expect(validate(o), `${o.kind} ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(unknownKeys(o, schema), `${o.kind} fields the CRD does not have`).toEqual([]);
  }
}

describe('rendered artifacts validate against upstream schemas', () => {
  it('containerlab topology: clab.schema.json (draft-07), seed and 4x8x4', () => {
    const validate = clabValidator();
    for (const t of [topo, big]) {
      const clab = parse(content(renderAll(t), 'clab.yaml'));
      expect(validate(clab), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('CiliumBGPPeeringPolicy (v2alpha1): the 1.14 CRD', () => {
    const objs = objects(renderAll(topo), 'cilium-policy');
    expect(objs.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(Array(2).fill('cilium.io/v2alpha1 CiliumBGPPeeringPolicy'));
    expectValidAgainstCrd(objs, 'v1.14');
    expectValidAgainstCrd(objects(renderAll(big), 'cilium-policy'), 'v1.14');
  });

  it('Cilium 1.16: ClusterConfig, PeerConfig, Advertisement v2alpha1 against the 1.16.8 CRDs', () => {
    const files = renderAll(topo, { ciliumVersion: '1.16.8' });
    const objs = objects(files, 'cilium-policy');
    expect(new Set(objs.map((o) => `${o.apiVersion} ${o.kind}`))).toEqual(
      new Set(['cilium.io/v2alpha1 CiliumBGPClusterConfig', 'cilium.io/v2alpha1 CiliumBGPPeerConfig', 'cilium.io/v2alpha1 CiliumBGPAdvertisement']),
    );
    expectValidAgainstCrd(objs, 'v1.16.8');
    expect(content(files, '4-enable-bgp-peer.sh')).toContain('kubectl apply -f bgp-cluster-config.yaml');
  });

  it('Cilium 1.18+: the same objects as cilium.io/v2 against the main CRDs', () => {
    const objs = objects(renderAll(topo, { ciliumVersion: '1.18.0' }), 'cilium-policy');
    expect(objs.every((o) => o.apiVersion === 'cilium.io/v2')).toBe(true);
    expectValidAgainstCrd(objs, 'main');
    // main still serves v2alpha1: the 1.16 rendering is accepted there too.
    expectValidAgainstCrd(objects(renderAll(topo, { ciliumVersion: '1.16.8' }), 'cilium-policy'), 'main');
  });

  it('helm values use only keys of the chart: 1.14 values.yaml; 1.16.8 values.yaml and values.schema.json', () => {
    const keys114 = helmKeyPaths(oracle('cilium/v1.14/values.yaml'));
    const v114 = parse(content(renderAll(topo), 'cilium-values.yaml'));
    expect(valuePaths(v114).filter((p) => !keys114.has(p))).toEqual([]);

    const files116 = renderAll(topo, { ciliumVersion: '1.16.8' });
    const v116 = parse(content(files116, 'cilium-values.yaml'));
    const keys116 = helmKeyPaths(oracle('cilium/v1.16.8/values.yaml'));
    expect(valuePaths(v116).filter((p) => !keys116.has(p))).toEqual([]);
    const schema = JSON.parse(oracle('cilium/v1.16.8/values.schema.json'));
    const validate = compileSchema(schema);
    expect(validate(v116), JSON.stringify(validate.errors)).toBe(true);
    expect(unknownKeys(v116, schema)).toEqual([]);
    // `tunnel` is gone in 1.15+; native routing replaces tunnel=disabled.
    expect(v116.tunnel).toBeUndefined();
    expect(v116.routingMode).toBe('native');
  });

  it('kind config uses only fields of kind v1alpha4 Go types (json tags)', () => {
    const structs = kindGoTypes();
    expect(Object.keys(structs.Cluster!)).toEqual(expect.arrayContaining(['kind', 'apiVersion', 'nodes', 'networking']));
    for (const t of [topo, big]) {
      const cfg = parse(content(renderAll(t), 'kind-config.yaml'));
      expect(unknownGoFields(cfg, 'Cluster', structs)).toEqual([]);
      expect(cfg.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    }
  });

  it('clabernetes target wraps the containerlab definition', () => {
    const files = renderAll(topo, { target: 'clabernetes' });
    const objs = parseAllDocuments(content(files, 'clabernetes.yaml')).map((d) => d.toJS());
    const topology = objs.find((o) => o.kind === 'Topology');
    expect(topology.apiVersion).toBe('clabernetes.containerlab.dev/v1alpha1');
    expect(parse(topology.spec.definition.containerlab)).toEqual(parse(content(renderAll(topo), 'clab.yaml')));
    const cm = objs.find((o) => o.kind === 'ConfigMap');
    expect(Object.keys(cm.data)).toEqual(topo.routers.map((r) => `${r.name}-boot.cfg`));
  });
});

describe('the oracle checks catch mistakes (so the passes above mean something)', () => {
  it('flags an unknown CRD field, a bad clab node kind, an unknown helm key and an unknown kind field', () => {
    const [policy] = objects(renderAll(topo), 'cilium-policy') as unknown as { spec: { virtualRouters: Record<string, unknown>[] } }[];
    policy!.spec.virtualRouters[0]!.exportPodCidr = true;
    expect(unknownKeys(policy, crdSchema('cilium/v1.14/ciliumbgppeeringpolicies.yaml', 'v2alpha1'))).toEqual(['spec.virtualRouters[0].exportPodCidr']);
    const clab = parse(content(renderAll(topo), 'clab.yaml'));
    clab.topology.nodes.spine0.kind = 'vyos-typo';
    expect(clabValidator()(clab)).toBe(false);
    const keys = helmKeyPaths(oracle('cilium/v1.14/values.yaml'));
    expect(keys.has('monitorAggregation')).toBe(false);
    expect(keys.has('k8s.requireIPv4PodCIDR')).toBe(true);
    const cfg = parse(content(renderAll(topo), 'kind-config.yaml'));
    cfg.networking.podSubnets = '10.0.0.0/8';
    expect(unknownGoFields(cfg, 'Cluster', kindGoTypes())).toEqual(['networking.podSubnets']);
  });
});
