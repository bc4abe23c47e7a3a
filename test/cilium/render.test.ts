// `render` writes the model's own Cilium objects for every modelled release, and each validates
// against that release's CRDs in ../shared/oracles/cilium (1.15 and 1.17 against the next
// release's CRDs, which serve the same API versions).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { parseTopology, loadTopology } from '../../lab/topology/load.js';
import { renderAll } from '../../lab/render/index.js';
import { modelObjects } from '../../lab/cilium/objects.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { compileSchema, crdSchema, unknownKeys } from '../foundation/oracles.js';

const CRD_FILE: Record<string, string> = {
  CiliumBGPPeeringPolicy: 'ciliumbgppeeringpolicies.yaml',
  CiliumBGPClusterConfig: 'ciliumbgpclusterconfigs.yaml',
  CiliumBGPPeerConfig: 'ciliumbgppeerconfigs.yaml',
  CiliumBGPAdvertisement: 'ciliumbgpadvertisements.yaml',
  CiliumBGPNodeConfigOverride: 'ciliumbgpnodeconfigoverrides.yaml',
};
type Obj = { apiVersion: string; kind: string; metadata: { name: string } };

function expectValid(objs: Obj[], dir: string) {
  expect(objs.length).toBeGreaterThan(0);
  for (const o of objs) {
    const schema = crdSchema(`cilium/${dir}/${CRD_FILE[o.kind]}`, o.apiVersion.split('/')[1]!);
    const validate = compileSchema(schema);
    expect(validate(o), `${dir} ${o.kind} ${o.metadata.name} ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(unknownKeys(o, schema), `${dir} ${o.kind}: fields the CRD does not have`).toEqual([]);
  }
}

const load = (edit: (t: any) => void, base = DEFAULT_TOPOLOGY_FILE) => {
  const raw = parse(readFileSync(base, 'utf8'));
  edit(raw);
  const r = parseTopology(stringify(raw));
  expect(r.issues.filter((i) => i.severity !== 'warning')).toEqual([]);
  return r.topology!;
};
const V2_FILE = new URL('../../lab/topologies/cilium-bgp-v2.yaml', import.meta.url).pathname;
/** Every 1.14 neighbor and virtual-router field set. */
const rich114 = (t: any) => {
  const vr = t.cilium.bgpPeeringPolicies[0].virtualRouters[0];
  vr.serviceSelector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] };
  vr.neighbors[0] = { ...vr.neighbors[0], peerPort: 179, eBGPMultihopTTL: 2, connectRetryTimeSeconds: 5, holdTimeSeconds: 30, keepAliveTimeSeconds: 10, gracefulRestart: { enabled: true, restartTimeSeconds: 60 } };
  t.cilium.bgpPeeringPolicies[1].nodeSelector = { matchLabels: { rack: 'rack1' }, matchExpressions: [{ key: 'maint', operator: 'DoesNotExist' }] };
};
const richV2 = (version: string) => (t: any) => {
  t.cilium.version = version;
  t.cilium.bgpPeerConfigs[0] = { ...t.cilium.bgpPeerConfigs[0], timers: { holdTimeSeconds: 30, keepAliveTimeSeconds: 10 }, transport: { peerPort: 179 }, ebgpMultihop: 2, gracefulRestart: { enabled: true, restartTimeSeconds: 60 } };
  t.cilium.bgpAdvertisements[0].advertisements[0].attributes = { communities: { standard: ['65005:1'] }, localPreference: 150 };
  t.cilium.bgpAdvertisements.push({ name: 'lb', labels: { advertise: 'lb' }, advertisements: [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector: { matchLabels: { app: 'web' } } }] });
  t.cilium.bgpNodeConfigOverrides = [{ name: 'cilium-bgp-worker', bgpInstances: [{ name: 'rack0-65005', routerID: '10.255.0.11', peers: [{ name: 'leaf0', localAddress: '10.1.5.11' }] }] }];
};
const objectsOf = (files: ReturnType<typeof renderAll>) =>
  files.filter((f) => f.kind === 'cilium-policy').flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj));

describe('render: the model\'s Cilium objects for every release validate against its CRDs', () => {
  it('1.14 and 1.15: CiliumBGPPeeringPolicy v2alpha1 with every 1.14 field (1.15: and its own fields)', () => {
    const t114 = load(rich114);
    const objs = objectsOf(renderAll(t114));
    expect(objs.map((o) => o.kind)).toEqual(['CiliumBGPPeeringPolicy', 'CiliumBGPPeeringPolicy']);
    expect(objs).toEqual(modelObjects(t114)); // render writes exactly the model's objects
    expectValid(objs, 'v1.14');
    const t115 = load((t) => {
      rich114(t);
      t.cilium.version = '1.15.16';
      Object.assign(t.cilium.bgpPeeringPolicies[0].virtualRouters[0], { serviceAdvertisements: ['LoadBalancerIP', 'ClusterIP'], podIPPoolSelector: { matchLabels: { pool: 'a' } } });
      Object.assign(t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0], { families: [{ afi: 'ipv4', safi: 'unicast' }], authSecretRef: 'bgp-auth', advertisedPathAttributes: [{ selectorType: 'PodCIDR', communities: { standard: ['65000:100'] } }] });
    });
    const o115 = objectsOf(renderAll(t115));
    expectValid(o115, 'v1.16.8');
    // The 1.15 fields are not in the 1.14 CRD: the oracle itself tells them apart.
    expect(unknownKeys(o115[0], crdSchema('cilium/v1.14/ciliumbgppeeringpolicies.yaml', 'v2alpha1')).sort()).toEqual(
      ['spec.virtualRouters[0].neighbors[0].advertisedPathAttributes', 'spec.virtualRouters[0].neighbors[0].authSecretRef', 'spec.virtualRouters[0].neighbors[0].families', 'spec.virtualRouters[0].podIPPoolSelector', 'spec.virtualRouters[0].serviceAdvertisements'],
    );
  });

  it('1.16 and 1.17: the v2 resources as cilium.io/v2alpha1; 1.18 and 1.19 as cilium.io/v2 (with the node override)', () => {
    for (const [version, dir, apiVersion] of [['1.16.8', 'v1.16.8', 'cilium.io/v2alpha1'], ['1.17.6', 'v1.18.0-pre.3', 'cilium.io/v2alpha1'], ['1.18.0', 'v1.18.0-pre.3', 'cilium.io/v2'], ['1.19.0', 'v1.19.0-pre.4', 'cilium.io/v2'], ['1.19.0', 'main', 'cilium.io/v2']] as const) {
      const t = load(richV2(version), V2_FILE);
      const files = renderAll(t);
      // 1.16.8's oracle has no NodeConfigOverride CRD file; validate it where there is one.
      const objs = objectsOf(files).filter((o) => CRD_FILE[o.kind] && (dir !== 'v1.16.8' && dir !== 'main' || o.kind !== 'CiliumBGPNodeConfigOverride'));
      expect(new Set(objs.map((o) => o.apiVersion)), version).toEqual(new Set([apiVersion]));
      expect(objectsOf(files)).toEqual(modelObjects(t));
      expectValid(objs, dir);
      expect(files.find((f) => f.path === '3-install-cilium.sh')!.content).toContain(`--version ${version}`);
    }
  });

  it('1.19 has no CiliumBGPPeeringPolicy CRD: the v2 objects only; the seed rendered for 1.19 gets the migrated ones', () => {
    expect(() => crdSchema('cilium/v1.19.0-pre.4/ciliumbgppeeringpolicies.yaml', 'v2alpha1')).toThrow();
    const objs = objectsOf(renderAll(loadTopology(), { ciliumVersion: '1.19.0' }));
    expect(objs.map((o) => o.kind).sort()).toEqual(['CiliumBGPAdvertisement', 'CiliumBGPClusterConfig', 'CiliumBGPClusterConfig', 'CiliumBGPPeerConfig', 'CiliumBGPPeerConfig']);
    expectValid(objs, 'v1.19.0-pre.4');
    // …and they are cilium-bgp-v2's objects.
    expect(objs).toEqual(modelObjects(loadTopology('cilium-bgp-v2'), '1.19.0'));
  });
});
