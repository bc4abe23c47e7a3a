// cilium-bgp-lb rendered for the real lab (kind + containerlab): the pool as each release's CRD
// spells it, the peering policies with their serviceSelector, the client as a containerlab node.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadTopology } from '../../lab/topology/load.js';
import { renderAll } from '../../lab/render/index.js';
import { clabValidator, compileSchema, crdSchema, unknownKeys } from '../foundation/oracles.js';
import { explain, servicesTable } from '../../lab/services/explain.js';
import { renderResult } from '../../bot/render/index.js';
import { textRenderers } from '../../src/render/registry.js';

const topo = loadTopology('cilium-bgp-lb');
type Obj = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const docs = (version: string, path: string) => parseAllDocuments(renderAll(topo, { ciliumVersion: version }).find((f) => f.path === path)!.content).map((d) => d.toJS() as Obj);

function expectValid(o: Obj, file: string) {
  const schema = crdSchema(file, o.apiVersion.split('/')[1]!);
  const validate = compileSchema(schema);
  expect(validate(o), `${o.kind} ${JSON.stringify(validate.errors)}`).toBe(true);
  expect(unknownKeys(o, schema), `${o.kind} fields the CRD does not have`).toEqual([]);
}

describe('cilium-bgp-lb rendered for kind + containerlab', () => {
  it('1.14: the pool with `cidrs`, the peering policies with serviceSelector, against the 1.14 CRDs', () => {
    const lb = docs('1.14.0-rc.0', 'lb-services.yaml');
    const pool = lb.find((o) => o.kind === 'CiliumLoadBalancerIPPool')!;
    expect(pool).toMatchObject({ apiVersion: 'cilium.io/v2alpha1', spec: { cidrs: [{ cidr: '10.1.100.0/24' }] } });
    expectValid(pool, 'cilium/v1.14/ciliumloadbalancerippools.yaml');
    const policies = docs('1.14.0-rc.0', 'bgp-peering-policies.yaml');
    for (const p of policies) {
      expect((p.spec.virtualRouters as { serviceSelector?: unknown }[])[0]!.serviceSelector).toEqual({ matchLabels: { advertise: 'bgp' } });
      expectValid(p, 'cilium/v1.14/ciliumbgppeeringpolicies.yaml');
    }
    const svc = lb.filter((o) => o.kind === 'Service');
    expect(svc.map((s) => [s.metadata.name, s.spec.type, s.spec.externalTrafficPolicy])).toEqual([['web', 'LoadBalancer', 'Cluster'], ['web-local', 'LoadBalancer', 'Local']]);
    expect(lb.find((o) => o.kind === 'Deployment')!.spec).toMatchObject({ replicas: 2, template: { spec: { nodeSelector: { rack: 'rack1' } } } });
  });

  it('1.19: the pool with `blocks` as cilium.io/v2, against the 1.19 CRD; the 1.14 CRD refuses that spelling', () => {
    const pool = docs('1.19.0', 'lb-services.yaml').find((o) => o.kind === 'CiliumLoadBalancerIPPool')!;
    expect(pool).toMatchObject({ apiVersion: 'cilium.io/v2', spec: { blocks: [{ cidr: '10.1.100.0/24' }] } });
    expectValid(pool, 'cilium/v1.19.0-pre.4/ciliumloadbalancerippools.yaml');
    const schema = crdSchema('cilium/v1.14/ciliumloadbalancerippools.yaml', 'v2alpha1');
    expect(compileSchema(schema)({ ...pool, apiVersion: 'cilium.io/v2alpha1' })).toBe(false);
  });

  it('containerlab: the client node on a bridge with both spines, valid against clab.schema.json', () => {
    const clab = parse(renderAll(topo).find((f) => f.path === 'clab.yaml')!.content) as { topology: { nodes: Record<string, { kind: string; exec?: string[] }>; links: { endpoints: string[] }[] } };
    const validate = clabValidator();
    expect(validate(clab), JSON.stringify(validate.errors)).toBe(true);
    expect(clab.topology.nodes['br-client']!.kind).toBe('bridge');
    expect(clab.topology.nodes.client!.exec).toEqual(['ip addr add 10.1.50.10/24 dev eth1', 'ip route replace default nexthop via 10.1.50.2 nexthop via 10.1.50.3']);
    const ends = clab.topology.links.map((l) => l.endpoints.join(' '));
    expect(ends).toEqual(expect.arrayContaining(['br-client:br-client-p0 client:eth1', 'spine0:eth3 br-client:br-client-p1', 'spine1:eth3 br-client:br-client-p2']));
  });
});

describe('services and explain on every surface, from the model alone (no lab up)', () => {
  it('services says the model answered; explain stops at the routers; Slack gets one message with the chain', async () => {
    const table = servicesTable(topo, 1, undefined);
    expect(table.advertisedFrom).toBe('model');
    expect(table.services.map((x) => [x.name, x.loadBalancerIP, x.advertisedBy.length])).toEqual([['web', '10.1.100.1', 4], ['web-local', '10.1.100.2', 2]]);
    const e = (await explain(undefined, topo, 'web-local', 1))!;
    expect(e.ok).toBe(false);
    expect(e.cause).toBe('the lab is not up: no router to ask');
    const msg = renderResult('explain', e);
    expect(msg.blocks!.length).toBeLessThanOrEqual(4);
    expect(JSON.stringify(msg.blocks)).toContain('cilium-bgp-worker2: announces 10.1.100.2/32');
    const text = textRenderers.explain!(e as never, { color: false, width: 100 });
    expect(text).toMatch(/cause: the lab is not up/);
    expect(textRenderers.services!(table as never, { color: false, width: 200 })).toMatch(/web-local +LoadBalancer +Local +10\.1\.100\.2/);
  });
});
